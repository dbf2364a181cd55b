"""The audit trail: appends operator actions and security events, reads them for admins."""

from __future__ import annotations

import logging

from app.domain.audit import AuditEntry, AuditQuery, Outcome, to_csv
from app.domain.errors import InvalidInput
from app.domain.operators import Actor, Role
from app.domain.ports import AuditRepository, Clock
from app.services.acting import requires
from app.services.clock import utcnow

log = logging.getLogger(__name__)

MAX_PAGE = 10_000


class AuditTrail:
    def __init__(self, repository: AuditRepository, clock: Clock = utcnow) -> None:
        self._repo = repository
        self._clock = clock

    async def record(
        self, actor: Actor, action: str, target: str, outcome: Outcome, detail: str = ""
    ) -> None:
        entry = AuditEntry.of(actor, action, target, outcome, self._clock(), detail)
        await self._repo.append(entry)
        if outcome is not Outcome.OK:
            log.info("audit: %s %s %s: %s (%s)", actor.describe(), action, target, outcome, detail)

    @requires(Role.ADMIN)
    async def entries(self, query: AuditQuery) -> list[AuditEntry]:
        """The log, newest first (admins only)."""
        if not 1 <= query.limit <= MAX_PAGE:
            raise InvalidInput(f"A page of the audit log holds 1 to {MAX_PAGE:,} entries.")
        if query.since is not None and query.until is not None and query.until < query.since:
            raise InvalidInput("The end of the range is before its start.")
        return await self._repo.find(query)

    @requires(Role.ADMIN, "audit.export")
    async def export_csv(self, query: AuditQuery) -> str:
        """The entries the query selects as CSV; the export itself is audited."""
        return to_csv(await self.entries(query))
