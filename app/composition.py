"""Composition: every service of the engine built from the store, the settings and a clock.

The engine (app/bootstrap.py) calls build_services at start; CLI commands that work on
the database without a running engine build the same services here.
"""

from __future__ import annotations

from app.config import Settings, site_zone
from app.domain.access import UnknownTagPolicy
from app.domain.events import EventLogged
from app.domain.payment_outcomes import PaymentsUnavailable
from app.domain.ports import Clock
from app.domain.receipts import Seller
from app.ocpp.registry import ConnectionRegistry
from app.payments.factory import gateway_from_settings
from app.payments.secrets import SecretStore
from app.payments.stripe_gateway import StripeGateway
from app.services.access import AccessService
from app.services.admission import AdmissionService, FailureThrottle
from app.services.alarms import AlarmService
from app.services.analytics import AnalyticsService
from app.services.api_tokens import ApiTokenService
from app.services.audit import AuditTrail
from app.services.authorization import AuthorizationService
from app.services.blocking import BlockedSessions
from app.services.clock import utcnow
from app.services.commands import CommandService
from app.services.container import Services
from app.services.events import EventBus
from app.services.history import HistoryService
from app.services.local_lists import LocalListSync
from app.services.operators import OperatorService
from app.services.payment_desk import DeskParts, PaymentDesk
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
from app.store.database import Database
from app.store.repositories import (
    SqlCommandLog,
    SqlEventLog,
    SqlFrameLog,
    SqlStationRepository,
    SqlTagRepository,
    SqlTransactionRepository,
)
from app.store.repositories.access import SqlAccessRepository
from app.store.repositories.alarms import SqlAlarmRepository
from app.store.repositories.analytics import SqlAnalyticsRepository
from app.store.repositories.api_tokens import SqlApiTokenRepository
from app.store.repositories.audit import SqlAuditRepository
from app.store.repositories.history import SqlHistoryRepository
from app.store.repositories.local_lists import SqlLocalListRepository
from app.store.repositories.operators import SqlOperatorRepository
from app.store.repositories.payments import SqlPaymentRepository
from app.store.repositories.preauth import SqlPreAuthRepository
from app.store.repositories.session_charges import SqlSessionChargeRepository
from app.store.repositories.sites import SqlSiteRepository
from app.store.repositories.subscriptions import SqlSubscriptionRepository
from app.store.repositories.tag_import import SqlTagImportStore
from app.store.repositories.tariffs import SqlTariffRepository


def build_services(
    db: Database,
    registry: ConnectionRegistry,
    settings: Settings,
    clock: Clock = utcnow,
    secrets: SecretStore | None = None,
) -> Services:
    bus = EventBus()
    stations = SqlStationRepository(db)
    events = SqlEventLog(
        db, on_logged=lambda r: bus.publish(EventLogged(r.timestamp, r.station_id or "", r))
    )
    tags = SqlTagRepository(db)
    access = SqlAccessRepository(db)
    tag_service = TagService(tags, events, bus, clock, unknown_tags=settings.unknown_tag_policy)
    authorization = AuthorizationService(
        access,
        tag_service,
        clock,
        unknown_tags=settings.unknown_tag_policy,
        zone=site_zone(settings),
    )
    station_service = StationService(stations, events, bus, clock, settings)
    transactions = TransactionService(
        SqlTransactionRepository(db),
        authorization,
        events,
        bus,
        clock,
        suspect_after=settings.suspect_transaction_after,
    )
    commands = CommandService(
        registry,
        stations,
        SqlCommandLog(db),
        bus,
        clock,
        timeout=settings.command_timeout,
        tags=tags,
    )
    tariffs = TariffService(SqlTariffRepository(db), bus, clock)
    ledger = PaymentLedger(
        SqlPaymentRepository(db),
        bus,
        clock,
        events,
        Seller(settings.seller_name, settings.seller_org_number, settings.seller_address),
        site_zone(settings),
        currency=settings.currency,
        opening_float_minor=settings.cash_opening_float_minor,
    )
    subscriptions = SubscriptionService(
        SqlSubscriptionRepository(db), bus, clock, zone=site_zone(settings)
    )
    session_pricing = SessionPricingService(
        SqlSessionChargeRepository(db), tariffs, events, bus, clock, zone=site_zone(settings)
    )
    access_service = AccessService(access, events, bus, clock)
    keys = secrets or SecretStore()

    def make_gateway(current: Settings) -> StripeGateway | PaymentsUnavailable:
        return gateway_from_settings(current, keys, api_base=current.stripe_api_base or None)

    desk = PaymentDesk(
        ledger,
        DeskParts(transactions, session_pricing, tag_service, access_service, subscriptions),
        settings,
        make_gateway,
    )
    audit = AuditTrail(SqlAuditRepository(db), clock)
    services = Services(
        bus=bus,
        clock=clock,
        event_log=events,
        admission=AdmissionService(
            stations,
            unknown_policy=settings.unknown_stations,
            throttle=FailureThrottle(
                settings.auth_failures_before_throttle, settings.auth_throttle_seconds
            ),
        ),
        stations=station_service,
        authorization=authorization,
        transactions=transactions,
        commands=commands,
        frames=SqlFrameLog(db, enabled=settings.frame_log_enabled),
        sites=SiteService(SqlSiteRepository(db), clock),
        alarms=AlarmService(SqlAlarmRepository(db), bus, clock),
        history=HistoryService(SqlHistoryRepository(db)),
        api_tokens=ApiTokenService(SqlApiTokenRepository(db), clock),
        audit=audit,
        operators=OperatorService(SqlOperatorRepository(db), audit, clock),
        subscriptions=subscriptions,
        tariffs=tariffs,
        session_pricing=session_pricing,
        access=access_service,
        tags=tag_service,
        local_lists=LocalListSync(
            commands,
            stations,
            station_service,
            access,
            SqlLocalListRepository(db),
            events,
            bus,
            clock,
            enabled=settings.local_auth_sync,
            delay=settings.local_auth_sync_delay,
        ),
        blocked_sessions=BlockedSessions(
            transactions, commands, events, bus, clock, stop_on_block=settings.stop_on_block
        ),
        tag_import=TagImportService(
            SqlTagImportStore(db),
            events,
            bus,
            clock,
            zone=site_zone(settings),
            walk_in=settings.unknown_tag_policy is UnknownTagPolicy.WALK_IN,
        ),
        payments=ledger,
        desk=desk,
        analytics=AnalyticsService(
            SqlAnalyticsRepository(db),
            site_zone(settings),
            raw_samples_days=settings.raw_samples_days,
        ),
        preauth=PreAuthorisations(
            SqlPreAuthRepository(db),
            desk.card,
            ledger,
            commands,
            session_pricing,
            transactions,
            authorization,
            events,
            bus,
            clock,
            hold_minor=settings.preauth_hold_minor,
            plug_in_seconds=settings.preauth_plug_in_seconds,
            reader_id=settings.desk_reader_id or None,
            card_wait_seconds=settings.card_wait_seconds,
            retry_every=settings.preauth_retry_seconds,
            price_wait_seconds=settings.preauth_price_wait_seconds,
            check_every=settings.preauth_check_seconds,
        ),
    )
    services.session_pricing.use_plan_lookup(services.subscriptions.terms_at)
    services.subscriptions.use_live_prices(services.session_pricing.price_of)
    return services
