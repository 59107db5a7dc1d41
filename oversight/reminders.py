"""Reminders that keep the cascade moving, each e-mail in its recipient's language:

- `send_ready_nudges`: a manager *ready* for more than 14 days who has not scheduled a session
  (once per cycle);
- `send_feedback_reminders`: a leader whose held session has no feedback three days on (once
  per session);
- `send_focal_digests`: each focal point's weekly summary of their entities (once per ISO week);
- `send_escalations`: from 1 December to the deadline, managers still waiting or ready, and the
  heads of their entities (once per ISO week each).

The session reminder 1–3 days ahead lives in `scheduling.send_due_reminders`.

Each e-mail is claimed before it leaves by inserting its `ReminderSent` row: the unique
(reason, key, period) lets one run only insert it, so two runs at the same time never send the
same reminder twice. A send that fails gives its claim back, so the next run tries again.
People who muted reminders (`User.mute_reminders`) get no nudge, digest or escalation; the
session and feedback reminders are essential and always sent.
"""

import datetime
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, RoleGrant, User
from dialogues.invitations import language_of
from dialogues.models import Attendance, ReminderSent
from feedback import selectors as feedback_selectors
from org.models import Cycle, Person

from . import tree
from .selectors import CascadeState, cascade_states, rollup

READY_NUDGE = "ready_nudge"
FEEDBACK_MISSING = "feedback_missing"
FOCAL_DIGEST = "focal_digest"
ESCALATION = "escalation"
ESCALATION_HEAD = "escalation_head"
# Always sent, whatever the recipient's preference (with the session reminder).
ESSENTIAL = frozenset({FEEDBACK_MISSING})

READY_TOO_LONG_DAYS = tree.READY_TOO_LONG_DAYS
ESCALATION_FROM = (12, 1)  # month, day
LIST_LIMIT = 30  # names listed in a digest or an escalation; the counts are complete
CHUNK = 500


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    muted: bool
    person: Person | None = None
    user: User | None = None


def _person_recipient(person: Person) -> Recipient:
    user = getattr(person, "user", None)  # select_related("user") by the callers
    return Recipient(person.email, language_of(person), bool(user and user.mute_reminders), person=person, user=user)


def _user_recipient(user: User) -> Recipient:
    language = language_of(user.person) if user.person_id else settings.LANGUAGE_CODE
    return Recipient(user.email, language, user.mute_reminders, person=user.person, user=user)


def _week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _chunks(items, size=CHUNK):
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _message(recipient: Recipient, template: str, context: dict) -> EmailMessage:
    with translation.override(recipient.language):
        context = {**context, "recipient": recipient}
        subject = render_to_string(f"oversight/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"oversight/email/{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def _deliver(*, reason: str, key: str, period: str, recipient: Recipient, template: str, context: dict, now: datetime.datetime) -> bool:
    """Claim the reminder, then send it; False when muted or already claimed by a run."""
    if recipient.muted and reason not in ESSENTIAL:
        return False
    try:
        with transaction.atomic():
            claim = ReminderSent.objects.create(
                reason=reason, key=key, period=period, person=recipient.person, user=recipient.user, email=recipient.email, sent_at=now
            )
    except IntegrityError:
        return False  # sent already, or being sent by another run
    try:
        mailers.default.send_messages([_message(recipient, template, context)])
    except Exception:
        claim.delete()  # not sent: give the claim back so that the next run tries again
        raise
    return True


def _open_cycle(today: datetime.date) -> Cycle | None:
    cycle = Cycle.objects.current()
    return cycle if cycle is not None and cycle.contains(today) else None


def _people(ids) -> dict[int, Person]:
    people = {}
    for chunk in _chunks(ids):
        people.update((p.pk, p) for p in Person.objects.active().filter(pk__in=chunk).select_related("user", "entity"))
    return people


def _links(base_url: str) -> dict:
    return {"home_url": base_url + reverse("home"), "preferences_url": base_url + reverse("preferences")}


def send_ready_nudges(*, today: datetime.date | None = None, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """Nudge each manager who has been *ready* for more than 14 days (the dashboard's rule:
    ready since the first session of the cycle they attended, or the cycle's opening day for
    the top of the organization) and has scheduled no session. Once per manager and cycle;
    muted users are skipped. Returns the number of e-mails sent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cycle = _open_cycle(today)
    if cycle is None:
        return 0
    cutoff = today - datetime.timedelta(days=READY_TOO_LONG_DAYS)
    ready = [s.person_id for s in cascade_states(cycle) if s.state == CascadeState.READY]
    first_attended = dict(
        Attendance.objects.filter(session__cycle=cycle).values("person_id").annotate(first=Min("session__date")).values_list("person_id", "first")
    )
    sent = 0
    for pk, person in sorted(_people(ready).items()):
        since = cycle.opens if person.manager_id is None else first_attended.get(pk)
        if since is None or since >= cutoff:
            continue
        context = {"person": person, "cycle": cycle, "ready_since": since, "schedule_url": base_url + reverse("dialogues:schedule"), **_links(base_url)}
        sent += _deliver(
            reason=READY_NUDGE,
            key=f"person:{pk}",
            period=str(cycle.year),
            recipient=_person_recipient(person),
            template="reminder_ready",
            context=context,
            now=now,
        )
    return sent


def send_feedback_reminders(*, today: datetime.date | None = None, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """Remind the leader of each held session still without feedback three days after its
    date (`feedback.selectors.sessions_not_reported`). Once per session; never muted."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cycle = Cycle.objects.current()
    if cycle is None:
        return 0
    sessions = feedback_selectors.sessions_not_reported(cycle, today=today).select_related("leader__user", "cycle")
    sent = 0
    for session in sessions.iterator(chunk_size=CHUNK):
        context = {"session": session, "cycle": cycle, "report_url": base_url + reverse("feedback:leader_feedback", args=[session.pk]), **_links(base_url)}
        sent += _deliver(
            reason=FEEDBACK_MISSING,
            key=f"session:{session.pk}",
            period=str(cycle.year),
            recipient=_person_recipient(session.leader),
            template="reminder_feedback",
            context=context,
            now=now,
        )
    return sent


@dataclass(frozen=True)
class EntityDigest:
    code: str
    name: str
    personnel: int
    participants: int
    counts: dict  # managers by state
    ready_too_long: int
    reports_not_reached: int
    not_reported: list  # the oldest sessions without feedback, at most LIST_LIMIT
    not_reported_total: int
    url: str

    @property
    def rate(self) -> int | None:
        return round(100 * self.participants / self.personnel) if self.personnel else None


def _entity_digest(cycle: Cycle, entity, coverage: dict, today: datetime.date, base_url: str) -> EntityDigest:
    cascade = tree.entity_cascade(cycle, entity.pk, today=today, limit=1)
    not_reported = feedback_selectors.sessions_not_reported(cycle, entity_ids=[entity.pk], today=today)
    row = coverage.get(entity.code)
    return EntityDigest(
        code=entity.code,
        name=entity.name,
        personnel=row.personnel if row else 0,
        participants=row.participants if row else 0,
        counts=cascade.counts,
        ready_too_long=cascade.ready_too_long.total,
        reports_not_reached=cascade.reports_not_reached.total,
        not_reported=list(not_reported[:LIST_LIMIT]),
        not_reported_total=not_reported.count(),
        url=base_url + reverse("oversight:entity", args=[entity.code]),
    )


def send_focal_digests(*, today: datetime.date | None = None, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """Send each active focal point one digest a week covering each of their entities: the
    coverage (participants against personnel), the managers to chase (waiting, ready, ready
    for more than 14 days, with reports not reached) and the sessions not reported. Muted users
    are skipped."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cycle = _open_cycle(today)
    if cycle is None:
        return 0
    grants = RoleGrant.objects.in_force().filter(role=Role.FOCAL_POINT, user__is_active=True).select_related("user__person", "entity").order_by("user_id", "entity__code")
    entities_of: dict[int, tuple[User, list]] = {}
    for grant in grants:
        entities_of.setdefault(grant.user_id, (grant.user, []))[1].append(grant.entity)
    codes = sorted({e.code for _user, entities in entities_of.values() for e in entities})
    coverage = {r.entity: r for r in rollup(cycle, entity_codes=codes)} if codes else {}
    digests: dict[int, EntityDigest] = {}
    sent = 0
    for user_id, (user, entities) in entities_of.items():
        recipient = _user_recipient(user)
        if recipient.muted:
            continue  # spare the queries
        for entity in entities:
            if entity.pk not in digests:
                digests[entity.pk] = _entity_digest(cycle, entity, coverage, today, base_url)
        context = {"cycle": cycle, "today": today, "entities": [digests[e.pk] for e in entities], **_links(base_url)}
        sent += _deliver(
            reason=FOCAL_DIGEST, key=f"user:{user_id}", period=_week(today), recipient=recipient, template="reminder_digest", context=context, now=now
        )
    return sent


def escalation_period(cycle: Cycle) -> tuple[datetime.date, datetime.date]:
    """The days on which escalations go out: 1 December of the deadline's year to the deadline."""
    return datetime.date(cycle.deadline.year, *ESCALATION_FROM), cycle.deadline


def _heads(entity_ids) -> dict[int, list[Recipient]]:
    """The heads of each entity: derived (an active person with no manager, or a manager in
    another entity) and granted; one recipient per e-mail address."""
    heads: dict[int, dict[str, Recipient]] = {}
    derived = Person.objects.active().filter(entity_id__in=entity_ids).filter(Q(manager__isnull=True) | ~Q(manager__entity_id=F("entity_id")))
    for person in derived.select_related("user").order_by("index_number"):
        heads.setdefault(person.entity_id, {}).setdefault(person.email.lower(), _person_recipient(person))
    granted = RoleGrant.objects.in_force().filter(role=Role.HEAD_OF_ENTITY, entity_id__in=entity_ids, user__is_active=True).select_related("user__person")
    for grant in granted.order_by("user_id"):
        heads.setdefault(grant.entity_id, {}).setdefault(grant.user.email.lower(), _user_recipient(grant.user))
    return {entity_id: list(by_email.values()) for entity_id, by_email in heads.items()}


def send_escalations(*, today: datetime.date | None = None, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """From 1 December to the deadline, write once a week (ISO week) to each manager still
    waiting or ready, and to the heads of each entity that has such managers, with their list.
    Muted users are skipped. Returns the number of e-mails sent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cycle = Cycle.objects.current()
    if cycle is None:
        return 0
    first, last = escalation_period(cycle)
    if not first <= today <= last:
        return 0
    states = {s.person_id: s.state for s in cascade_states(cycle) if s.state in tree.BLOCKED}
    people = _people(states)
    period, links = _week(today), _links(base_url)
    sent = 0
    by_entity: dict[int, list[Person]] = {}
    for pk, person in sorted(people.items(), key=lambda item: (item[1].name, item[0])):
        by_entity.setdefault(person.entity_id, []).append(person)
        context = {"person": person, "cycle": cycle, "state": states[pk], "schedule_url": base_url + reverse("dialogues:schedule"), **links}
        sent += _deliver(
            reason=ESCALATION, key=f"person:{pk}", period=period, recipient=_person_recipient(person), template="reminder_escalation", context=context, now=now
        )
    for entity_id, heads in sorted(_heads(list(by_entity)).items()):
        managers = by_entity[entity_id]
        entity = managers[0].entity
        context = {
            "entity": entity,
            "cycle": cycle,
            "waiting": sum(states[m.pk] == CascadeState.WAITING for m in managers),
            "ready": sum(states[m.pk] == CascadeState.READY for m in managers),
            "managers": [(m, states[m.pk]) for m in managers[:LIST_LIMIT]],
            "more": max(len(managers) - LIST_LIMIT, 0),
            "entity_url": base_url + reverse("oversight:entity", args=[entity.code]),
            **links,
        }
        for head in heads:
            sent += _deliver(
                reason=ESCALATION_HEAD,
                key=f"entity:{entity_id}:{head.email.lower()}"[:100],
                period=period,
                recipient=head,
                template="reminder_escalation_head",
                context=context,
                now=now,
            )
    return sent
