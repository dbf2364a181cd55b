"""The set of services a protocol adapter or a front end works with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.config import Settings
from app.domain.access import UnknownTagPolicy
from app.domain.operators import Actor, Role
from app.domain.ports import Clock, EventLog, FrameLog
from app.domain.receipts import Seller
from app.services.access import AccessService
from app.services.acting import Acting, acting, authorise, settle
from app.services.admission import AdmissionService
from app.services.alarms import AlarmService
from app.services.analytics import AnalyticsService
from app.services.api_tokens import ApiTokenService
from app.services.audit import AuditTrail
from app.services.authorization import AuthorizationService
from app.services.blocking import BlockedSessions
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.history import HistoryService
from app.services.local_lists import LocalListSync
from app.services.operators import OperatorService
from app.services.payment_desk import PaymentDesk
from app.services.payments import PaymentLedger
from app.services.preauth import PreAuthorisations
from app.services.session_pricing import SessionPricingService
from app.services.sites import SiteService
from app.services.stations import StationService
from app.services.subscriptions import SubscriptionService
from app.services.tag_import import TagImportService
from app.services.tags import TagService
from app.services.tariffs import TariffService
from app.services.transactions import TransactionService


@dataclass(frozen=True, slots=True)
class Services:
    bus: EventBus
    clock: Clock
    # The event log every service writes to (alarms and the history screen read it).
    event_log: EventLog
    admission: AdmissionService
    stations: StationService
    authorization: AuthorizationService
    transactions: TransactionService
    commands: CommandService
    frames: FrameLog
    sites: SiteService
    alarms: AlarmService
    history: HistoryService
    api_tokens: ApiTokenService
    # Who may do what (issue 9): operator accounts, and the audit log of what they did.
    audit: AuditTrail
    operators: OperatorService
    tariffs: TariffService
    # Every session's terms at its start and its price, live and final (issue 5).
    session_pricing: SessionPricingService
    # Access control (issue 5): fleets, drivers and rules; tags; stations' local lists.
    access: AccessService
    tags: TagService
    local_lists: LocalListSync
    blocked_sessions: BlockedSessions
    # Subscription plans, drivers' subscriptions and monthly statements (issue 5).
    subscriptions: SubscriptionService
    # CSV import and export of tags with their drivers (issue 5).
    tag_import: TagImportService
    # The payment ledger (issue 6): every attempt and change, receipts, the Z-report.
    payments: PaymentLedger
    # The payment desk (issue 6): card and QR through Stripe, cash, account, subscription.
    desk: PaymentDesk
    # Usage and demand analytics (issue 7): reports, drill-down, meter-sample rollups.
    analytics: AnalyticsService
    # Pay before charging: a card hold starts a walk-in session and pays it at stop.
    preauth: PreAuthorisations

    @contextmanager
    def acting(self, actor: Actor | None) -> Iterator[Acting | None]:
        """Run the block, and every task it starts, as `actor`: the services check its
        role and write what it does to the audit log (None: as nobody)."""
        with acting(actor, self.audit) as now:
            yield now

    async def permit(self, needed: Role, action: str, target: str = "") -> None:
        """For work done outside the services (the settings file, backups, restores): the
        same role check, refusal and audit entry as a service method gets."""
        now = await authorise(needed, action, target)
        await settle(now, action, target)

    def use_access_policy(self, *, unknown_tags: UnknownTagPolicy, stop_on_block: bool) -> None:
        """Change at run time (on the engine thread) how unregistered and blocked tags are met.

        Every service that decides by the policy is told, so an Authorize, an
        import preview and a block all follow the same answer from now on.
        """
        self.authorization.set_unknown_tag_policy(unknown_tags)
        self.tags.set_unknown_tag_policy(unknown_tags)
        self.tag_import.set_walk_in(unknown_tags is UnknownTagPolicy.WALK_IN)
        self.blocked_sessions.stop_on_block = stop_on_block

    def use_payment_settings(self, settings: Settings) -> None:
        """Apply saved payment settings at run time (on the engine thread): the seller on
        receipts, the desk's reader for the desk and for holds, the hold and card wait.
        The currency stays until the next start, so one day is never in two currencies;
        the Stripe key is read again by `await desk.reload(settings)`."""
        self.payments.seller = Seller(
            settings.seller_name, settings.seller_org_number, settings.seller_address
        )
        reader = settings.desk_reader_id or None
        self.desk.use_reader(reader)
        self.preauth.use_reader(reader)
        self.preauth.hold_minor = settings.preauth_hold_minor
        self.preauth.card_wait_seconds = settings.card_wait_seconds
