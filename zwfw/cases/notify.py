"""Notifications of case events through pluggable senders: console, email, SMS (and memory).

``notify`` builds one message (Chinese, through translation) for a case event and hands it to
every backend named in ``settings.ZWFW_NOTIFY_BACKENDS`` (default ``["console"]``) *after the
transaction commits* (``transaction.on_commit``), or, with ``ZWFW_NOTIFY_ASYNC = True``, enqueues
it as a task in the same transaction (the database task backend makes that a durable outbox).
A sender that fails is logged and never breaks the case action.

``notify_case_event(case, event)`` is what the case services call: it works out the recipients
(the applicant's account and contact phone; for ``due_soon`` and ``overdue`` the handling
agency's reviewers and approvers and the supervisors over the case's region) and the event's
details from the case itself.

Backends: ``console`` (one log line per recipient), ``email`` (Django ``send_mail`` to the
user's address, if any), ``sms`` (through the ``SmsGateway`` named by ``ZWFW_SMS_GATEWAY``;
the default one only writes to the log), ``webhook`` (POSTs JSON to ``ZWFW_NOTIFY_WEBHOOK_URL``
with an ``Idempotency-Key`` that is the same for every attempt at one notification of one
recipient), ``memory`` (keeps messages in ``OUTBOX``: tests and demos), or the dotted path of any
``NotifyBackend`` subclass. See docs/notices.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zwfw.cases.models import Case, CaseNotice, CaseState, DeliveryMethod, NoticeKind, PauseKind
from zwfw.cases.notices import status_url
from zwfw.core.http import is_http_url, post_json
from zwfw.core.models import AuditChainHead
from zwfw.identity.models import Role, StaffMembership, User

logger = logging.getLogger("zwfw.notify")

EVENTS = (
    "submitted",
    "accepted",
    "correction_requested",
    "intake_rejected",
    "suspended",
    "resumed",
    "decided",
    "delivered",
    "due_soon",
    "overdue",
    "deficiency_reminder",
)
STAFF_EVENTS = frozenset({"due_soon", "overdue"})
DAILY_EVENTS = STAFF_EVENTS | {"deficiency_reminder"}  # sent by the daily job, once per day
HANDLER_ROLES = (Role.REVIEWER, Role.APPROVER)
DEFAULT_BACKENDS = ["console"]
DEFAULT_SMS_GATEWAY = "zwfw.cases.notify.LogSmsGateway"


# --- what is sent, to whom -----------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One addressee: an account (with its email and phone) or a bare phone number."""

    user_id: int | None = None
    name: str = ""
    email: str = ""
    phone: str = ""

    def label(self) -> str:
        """A log-safe label: the user id and the masked phone."""
        parts = [f"user:{self.user_id}"] if self.user_id else []
        if self.phone:
            parts.append(f"phone:{mask_phone(self.phone)}")
        return ",".join(parts) or "-"


@dataclass(frozen=True)
class Message:
    """One rendered notification (the same text for every recipient and backend)."""

    event: str
    case_id: int
    case_number: str
    subject: str
    text: str
    link: str
    params: dict[str, str] = field(default_factory=dict)  # for template-based SMS gateways
    # Which occurrence of the event this is (see ``occurrence_ref``): with the case, the event and
    # the recipient it names one notification, whatever the number of attempts to send it.
    ref: str = ""


def mask_phone(phone: str) -> str:
    """138****5678: the first three and the last four digits."""
    digits = phone.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"


def _recipient_of(user: User) -> Recipient:
    phone = user.phone or (user.person.phone if user.person_id and user.person else "")
    return Recipient(
        user_id=user.pk,
        name=user.display_name or user.get_full_name() or user.get_username(),
        email=user.email or "",
        phone=phone or "",
    )


def recipients_resolve(recipients: Sequence[User | str]) -> list[Recipient]:
    """Accounts and phone numbers as recipients: inactive accounts dropped, duplicates merged
    (a bare phone already reached through an account in the list is not texted twice)."""
    resolved: list[Recipient] = []
    seen_users: set[int] = set()
    for item in recipients:
        if isinstance(item, User) and item.is_active and item.pk not in seen_users:
            seen_users.add(item.pk)
            resolved.append(_recipient_of(item))
    phones = {r.phone for r in resolved if r.phone}
    for item in recipients:
        if isinstance(item, str) and item.strip() and item.strip() not in phones:
            phones.add(item.strip())
            resolved.append(Recipient(phone=item.strip()))
    return resolved


def applicant_recipients(case: Case) -> list[User | str]:
    """The applicant's account (or the account of the person applied for) and the contact phone
    (the person's own phone when the case has none)."""
    found: list[User | str] = []
    user = case.applicant_user
    if user is None and case.applicant_person_id is not None:
        user = User.objects.filter(person_id=case.applicant_person_id).first()
    if user is not None:
        found.append(user)
    phone = case.contact_phone or (case.applicant_person.phone if case.applicant_person else "")
    if phone:
        found.append(phone)
    return found


class HandlerCache:
    """Staff lookups reused over many cases (the daily task): handlers per agency, supervisors."""

    def __init__(self) -> None:
        self.by_agency: dict[int, list[User]] = {}
        self.supervisors: list[tuple[str, User]] | None = None


def handler_recipients(case: Case, *, cache: HandlerCache | None = None) -> list[User | str]:
    """The handling agency's reviewers and approvers and the supervisors whose region covers
    the case's region (active accounts only)."""
    cache = cache or HandlerCache()
    if case.agency_id not in cache.by_agency:
        cache.by_agency[case.agency_id] = [
            m.user
            for m in StaffMembership.objects.filter(
                agency_id=case.agency_id, role__in=HANDLER_ROLES, user__is_active=True
            )
            .select_related("user", "user__person")
            .order_by("user_id")
        ]
    if cache.supervisors is None:
        cache.supervisors = [
            (m.agency.region.prefix, m.user)
            for m in StaffMembership.objects.filter(role=Role.SUPERVISOR, user__is_active=True)
            .select_related("user", "user__person", "agency__region")
            .order_by("user_id")
        ]
    users: list[User | str] = list(cache.by_agency[case.agency_id])
    users += [user for prefix, user in cache.supervisors if case.region.prefix.startswith(prefix)]
    return users


# --- message texts -----------------------------------------------------------------------------


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


class _Params(dict[str, str]):
    """Format parameters that render a missing key as empty text instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


def _texts(event: str, p: Mapping[str, str]) -> tuple[str, str]:
    """The subject and text of one event (explicit msgids, so that they are extracted)."""
    if event == "submitted":
        return _("Application received"), _(
            "Your application %(number)s (%(item)s) has been received by %(agency)s. Progress: %(link)s"
        ) % p
    if event == "accepted":
        if p["items"]:
            return _("Application accepted"), _(
                "Your application %(number)s (%(item)s) was accepted on %(accepted_on)s and is due "
                "by %(due_date)s. Please supply %(items)s by %(deficiency_due_date)s: the result is "
                "held until they arrive. Progress: %(link)s"
            ) % p
        return _("Application accepted"), _(
            "Your application %(number)s (%(item)s) was accepted on %(accepted_on)s and is due by "
            "%(due_date)s. Progress: %(link)s"
        ) % p
    if event == "correction_requested":
        return _("Materials to correct"), _(
            "Your application %(number)s (%(item)s) needs the following, listed all at once in the "
            "one-time notice: %(items)s. Supply them at the window or online. Details: %(link)s"
        ) % p
    if event == "intake_rejected":
        return _("Application not accepted"), _(
            "Your application %(number)s (%(item)s) was not accepted: %(reason)s. The notice states "
            "your right to reconsideration and to sue. Details: %(link)s"
        ) % p
    if event == "suspended":
        return _("Handling paused"), _(
            "The handling of %(number)s (%(item)s) is paused for %(procedure)s; this time does not "
            "count toward the time limit. Progress: %(link)s"
        ) % p
    if event == "resumed":
        return _("Handling resumed"), _(
            "The handling of %(number)s (%(item)s) has resumed; it is now due by %(due_date)s. "
            "Progress: %(link)s"
        ) % p
    if event == "decided":
        if p["approved"]:
            return _("Decision made"), _(
                "A decision was made on %(number)s (%(item)s): approved. Progress: %(link)s"
            ) % p
        return _("Decision made"), _(
            "A decision was made on %(number)s (%(item)s): not approved. The decision letter states "
            "the reasons and your rights. Details: %(link)s"
        ) % p
    if event == "delivered":
        if p["tracking_number"]:
            return _("Result sent"), _(
                "The result of %(number)s (%(item)s) was sent by %(courier)s, tracking number "
                "%(tracking_number)s."
            ) % p
        return _("Result delivered"), _(
            "The result of %(number)s (%(item)s) has been delivered (%(method)s). Details: %(link)s"
        ) % p
    if event == "due_soon":
        return _("Case due soon"), _(
            "Case %(number)s (%(item)s, %(agency)s) is due on %(due_date)s: %(days_left)s working "
            "days left. %(link)s"
        ) % p
    if event == "overdue":
        return _("Case overdue"), _(
            "Case %(number)s (%(item)s, %(agency)s) is overdue: it was due on %(due_date)s. %(link)s"
        ) % p
    if event == "deficiency_reminder":
        if p["passed"]:
            return _("Promised materials overdue"), _(
                "For %(number)s (%(item)s) you promised %(items)s by %(deficiency_due_date)s; they "
                "have not arrived. The result is held until they do. Details: %(link)s"
            ) % p
        return _("Reminder: promised materials"), _(
            "Reminder: for %(number)s (%(item)s) please supply %(items)s by %(deficiency_due_date)s; "
            "the result is held until they arrive. Details: %(link)s"
        ) % p
    raise ValueError(event)


def message_build(
    *, case: Case, event: str, context: Mapping[str, object] | None = None, ref: str = ""
) -> Message:
    """Render the message of one event in the site's language (``settings.LANGUAGE_CODE``)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    base_url = str(getattr(settings, "ZWFW_PUBLIC_BASE_URL", "") or "")
    link = status_url(case.number, base_url=base_url)
    with translation.override(settings.LANGUAGE_CODE):
        params = _Params(
            number=case.number,
            item=case.implementation.item.name,
            agency=case.agency.name,
            link=link,
        )
        for key, value in (context or {}).items():
            if isinstance(value, datetime.date):
                params[key] = _day(value)
            elif isinstance(value, list | tuple):
                params[key] = "、".join(str(v) for v in value)
            elif isinstance(value, bool):
                params[key] = "1" if value else ""
            elif value is not None:
                params[key] = str(value)
        subject, text = _texts(event, params)
    return Message(
        event=event,
        case_id=case.pk,
        case_number=case.number,
        subject=str(subject),
        text=str(text),
        link=link,
        params=dict(params),
        ref=ref,
    )


# --- backends ----------------------------------------------------------------------------------


class NotifyBackend:
    """A way of sending: ``send`` returns True when it reached the recipient, False when the
    recipient has no address of its kind; it may raise (the dispatcher logs and goes on)."""

    name = "base"
    uses_ref = False  # True when sending keys on Message.ref (which costs a query to compute)

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Send one message to one recipient."""
        raise NotImplementedError


class ConsoleBackend(NotifyBackend):
    """The demo's sender: one log line per recipient (phones masked)."""

    name = "console"

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Log the message."""
        logger.info(
            "notify event=%s case=%s to=%s: %s",
            message.event,
            message.case_number,
            recipient.label(),
            message.text,
        )
        return True


class EmailBackend(NotifyBackend):
    """Django's ``send_mail`` to the recipient account's email address (if it has one)."""

    name = "email"

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Mail the message."""
        if not recipient.email:
            return False
        subject = f"{message.subject}（{message.case_number}）"
        send_mail(subject, message.text, None, [recipient.email], fail_silently=False)
        return True


class SmsGateway:
    """The interface a province implements to send text messages through its SMS provider.

    ``text`` is the rendered message; ``event`` and ``params`` are given for providers that
    only send pre-registered templates (template code per event, parameters by name).
    """

    def send(
        self, phone: str, text: str, *, event: str = "", params: Mapping[str, str] | None = None
    ) -> None:
        """Send one text message; raise on failure."""
        raise NotImplementedError


class LogSmsGateway(SmsGateway):
    """The default gateway: records the message in the log instead of sending it."""

    def send(
        self, phone: str, text: str, *, event: str = "", params: Mapping[str, str] | None = None
    ) -> None:
        """Log the text message (phone masked)."""
        logger.info("sms to=%s event=%s: %s", mask_phone(phone), event, text)


@lru_cache(maxsize=4)
def _gateway(path: str) -> SmsGateway:
    gateway = import_string(path)()
    if not isinstance(gateway, SmsGateway):
        raise TypeError(f"{path} is not an SmsGateway")
    return gateway


def sms_gateway() -> SmsGateway:
    """The configured gateway (``ZWFW_SMS_GATEWAY``, a dotted path; one instance per process)."""
    return _gateway(str(getattr(settings, "ZWFW_SMS_GATEWAY", DEFAULT_SMS_GATEWAY) or DEFAULT_SMS_GATEWAY))


class SmsBackend(NotifyBackend):
    """Text messages to the recipient's phone through the configured ``SmsGateway``."""

    name = "sms"

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Text the message."""
        if not recipient.phone:
            return False
        sms_gateway().send(recipient.phone, message.text, event=message.event, params=message.params)
        return True


OUTBOX: list[tuple[Message, Recipient]] = []


class MemoryBackend(NotifyBackend):
    """Keeps every message in ``OUTBOX`` (tests, demos)."""

    name = "memory"

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Append to the outbox."""
        OUTBOX.append((message, recipient))
        return True


def notification_key(message: Message, recipient: Recipient) -> str:
    """The idempotency key of one notification to one recipient: the case, the event, which
    occurrence of it (``Message.ref``) and the recipient (account, else phone). Every attempt at
    the same notification carries the same key, so a receiver can count a repeat once."""
    who = f"user:{recipient.user_id}" if recipient.user_id else f"phone:{recipient.phone.strip()}"
    body = f"zwfw-notify|{message.case_id}|{message.event}|{message.ref}|{who}"
    return hashlib.sha256(body.encode()).hexdigest()


def _refs_needed() -> bool:
    """Whether a configured sender uses ``Message.ref`` (the webhook's idempotency key does)."""
    return any(backend.uses_ref for backend in backends())


class WebhookBackend(NotifyBackend):
    """POSTs each message, as JSON, to ``ZWFW_NOTIFY_WEBHOOK_URL`` (a province's message centre
    that texts, mails or pushes it on), one request per recipient, with an ``Idempotency-Key``
    header (``notification_key``) and ``Authorization: Bearer ZWFW_NOTIFY_WEBHOOK_TOKEN`` when set.
    A network error or a non-2xx answer raises (the dispatcher logs it)."""

    name = "webhook"
    uses_ref = True

    def send(self, message: Message, recipient: Recipient) -> bool:
        """Deliver the message to the webhook."""
        url = str(getattr(settings, "ZWFW_NOTIFY_WEBHOOK_URL", "") or "")
        if not is_http_url(url):
            raise ValueError("ZWFW_NOTIFY_WEBHOOK_URL must be an http(s) address")
        key = notification_key(message, recipient)
        body = {"idempotency_key": key, **asdict(message), "recipient": asdict(recipient)}
        answer = post_json(
            url,
            json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
            key=key,
            token=str(getattr(settings, "ZWFW_NOTIFY_WEBHOOK_TOKEN", "") or ""),
            timeout=float(getattr(settings, "ZWFW_NOTIFY_WEBHOOK_TIMEOUT", 10)),
            user_agent="zwfw-notify/1",
        )
        if not answer.ok:
            raise RuntimeError(f"the notification webhook answered {answer.status or answer.error}")
        return True


BUILTIN_BACKENDS: dict[str, type[NotifyBackend]] = {
    b.name: b for b in (ConsoleBackend, EmailBackend, SmsBackend, WebhookBackend, MemoryBackend)
}


def backends() -> list[NotifyBackend]:
    """The senders named by ``ZWFW_NOTIFY_BACKENDS`` (built-in names or dotted class paths);
    a name that cannot be loaded is logged and skipped."""
    names = getattr(settings, "ZWFW_NOTIFY_BACKENDS", DEFAULT_BACKENDS)
    found: list[NotifyBackend] = []
    for name in names:
        try:
            cls = BUILTIN_BACKENDS.get(name) or import_string(name)
            backend = cls()
            if not isinstance(backend, NotifyBackend):
                raise TypeError(f"{name} is not a NotifyBackend")
        except Exception:
            logger.exception("notify backend %r cannot be loaded", name)
            continue
        found.append(backend)
    return found


# --- sending -----------------------------------------------------------------------------------


def dispatch(message: Message, recipients: Sequence[Recipient]) -> int:
    """Hand the message to every backend for every recipient; failures are logged, never raised.
    Returns how many sends succeeded."""
    sent = 0
    for backend in backends():
        for recipient in recipients:
            try:
                if backend.send(message, recipient):
                    sent += 1
            except Exception:
                logger.exception(
                    "notify backend %s failed: event=%s case=%s to=%s",
                    backend.name,
                    message.event,
                    message.case_number,
                    recipient.label(),
                )
    return sent


def dispatch_serialized(message: dict[str, Any], recipients: list[dict[str, Any]]) -> int:
    """``dispatch`` from the JSON form a task carries."""
    return dispatch(Message(**message), [Recipient(**r) for r in recipients])


def notify(
    *,
    case: Case,
    event: str,
    recipients: Sequence[User | str],
    context: Mapping[str, object] | None = None,
    ref: str = "",
) -> list[Recipient]:
    """Send the event's message to the recipients once the current transaction commits (or
    enqueue it as a task with ``ZWFW_NOTIFY_ASYNC``). Returns the resolved recipients."""
    resolved = recipients_resolve(recipients)
    message = message_build(case=case, event=event, context=context, ref=ref)
    if not resolved:
        return []
    if getattr(settings, "ZWFW_NOTIFY_ASYNC", False):
        from zwfw.cases.tasks import send_notification

        try:
            send_notification.enqueue(message=asdict(message), recipients=[asdict(r) for r in resolved])
            return resolved
        except Exception:
            logger.exception("notification task could not be enqueued; sending after commit instead")
    transaction.on_commit(partial(dispatch, message, resolved), robust=True)
    return resolved


# --- the case services' entry point ------------------------------------------------------------


def _missing_deficiency(case: Case) -> list[str]:
    from zwfw.cases import services  # the services call this module: import late

    return [r.name for r in services.materials_missing(case).deficiency_allowed]


def _latest_notice(case: Case, kind: str) -> CaseNotice | None:
    return case.notices.filter(kind=kind).order_by("-issued_at", "-pk").first()


def event_context(case: Case, event: str, *, today: datetime.date | None = None) -> dict[str, object]:
    """The details an event's message names, read from the case as it stands."""
    from zwfw.cases.clock import clock_view

    today = today or timezone.localdate()
    ctx: dict[str, object] = {"due_date": case.due_date}
    if event == "accepted":
        ctx["accepted_on"] = case.accepted_on
        if case.deficiency_due_date:
            ctx["items"] = _missing_deficiency(case)
            ctx["deficiency_due_date"] = case.deficiency_due_date
    elif event == "correction_requested":
        notice = _latest_notice(case, NoticeKind.CORRECTION)
        ctx["items"] = [i.get("name", "") for i in notice.items] if notice else []
    elif event == "intake_rejected":
        notice = _latest_notice(case, NoticeKind.INTAKE_REJECTION)
        ctx["reason"] = notice.reason if notice else ""
    elif event == "suspended":
        pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
        if pause is not None:
            ctx["procedure"] = (
                pause.procedure
                if pause.kind == PauseKind.SPECIAL_PROCEDURE and pause.procedure
                else PauseKind(pause.kind).label
            )
    elif event == "decided":
        ctx["approved"] = case.state == CaseState.APPROVED
    elif event == "delivered":
        delivery = getattr(case, "delivery", None)
        if delivery is not None:
            ctx.update(
                method=DeliveryMethod(delivery.method).label,
                courier=delivery.courier,
                tracking_number=delivery.tracking_number,
            )
    elif event in STAFF_EVENTS:
        view = clock_view(case, today=today)
        ctx["days_left"] = view.days_left if view.days_left is not None else ""
    elif event == "deficiency_reminder":
        ctx["items"] = _missing_deficiency(case)
        ctx["deficiency_due_date"] = case.deficiency_due_date
        ctx["passed"] = bool(case.deficiency_due_date and case.deficiency_due_date < today)
    return ctx


def occurrence_ref(case: Case, event: str, *, today: datetime.date | None = None) -> str:
    """Which occurrence of the event a notification is about: the day for the daily job's
    notices, otherwise the case's position in the ledger (the seq of its latest event, which is
    the action being notified when a service calls this in its transaction)."""
    if event in DAILY_EVENTS:
        return f"day:{(today or timezone.localdate()).isoformat()}"
    seq = AuditChainHead.objects.filter(chain=f"case:{case.pk}").values_list("seq", flat=True).first()
    return f"seq:{seq or 0}"


def case_event_recipients(case: Case, event: str, *, cache: HandlerCache | None = None) -> list[User | str]:
    """Who hears of the event: staff handlers and supervisors for due-soon and overdue cases,
    the applicant for everything else."""
    if event in STAFF_EVENTS:
        return handler_recipients(case, cache=cache)
    return applicant_recipients(case)


def notify_case_event(
    case: Case,
    event: str,
    *,
    context: Mapping[str, object] | None = None,
    today: datetime.date | None = None,
    cache: HandlerCache | None = None,
    ref: str | None = None,
) -> list[Recipient]:
    """Notify the right people of a case event after commit; never raises for a sender problem.

    Call it at the end of a case service, inside its transaction, once the case is saved.
    ``ref`` names the occurrence (default ``occurrence_ref``); a task that sends later passes
    its own id, so that a rerun of the task sends the same notification again, not a new one.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    try:
        with transaction.atomic():  # a savepoint: a failed read here leaves the service's work intact
            ctx = event_context(case, event, today=today)
            ctx.update(context or {})
            recipients = case_event_recipients(case, event, cache=cache)
            if ref is None:  # one more query: only when a configured sender keys on it
                ref = occurrence_ref(case, event, today=today) if _refs_needed() else ""
            return notify(case=case, event=event, recipients=recipients, context=ctx, ref=ref)
    except Exception:
        logger.exception("notification of %s on case %s could not be prepared", event, case.pk)
        return []
