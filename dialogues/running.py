"""Running a session: facilitator mode (scenario choice, live captures, sign-in count) and the
sign-in sheet of Appendix A.

Services write in one transaction with an audit entry; selectors read with a fixed number of
queries whatever the size of the session.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from kit.models import Kit, Scenario
from kit.translations import KitReader, ShownAgendaItem, ShownScenario
from org.models import Person

from .models import Attendance, CaptureKind, Session, SessionCapture, UnmatchedParticipant

MIN_SCENARIOS = 2
MAX_SCENARIOS = 3
MAX_CAPTURE_LENGTH = 2000
SHEET_LINES = 25  # Appendix A prints 25 numbered lines; a larger session gets more.


# --- selectors ---------------------------------------------------------------------------


def session_kit(session: Session) -> Kit | None:
    """The published kit of the session's cycle (with the cycle), or None while the Ethics
    Office has none."""
    return Kit.objects.select_related("cycle").filter(cycle_id=session.cycle_id, published=True).first()


def kit_agenda(kit: Kit):
    return kit.agenda.order_by("order")


def facilitator_agenda(reader: KitReader) -> list[ShownAgendaItem]:
    """The kit's agenda with the leader's guidance, in the reader's language (one query)."""
    return [reader.agenda_item(item, leader=True) for item in kit_agenda(reader.kit)]


def facilitator_scenarios(session: Session, reader: KitReader) -> list[ShownScenario]:
    """The scenarios chosen for the session, in kit order, each with its questions and the
    leader's notes, in the reader's language (two queries)."""
    scenarios = session.scenarios.order_by("order").prefetch_related("questions")
    return [reader.scenario(scenario, leader=True) for scenario in scenarios]


@dataclass(frozen=True)
class Slide:
    """One screen of the room view: a heading, and either a text, a list of agenda parts, or a
    scenario's question with its follow-ups. Never the leader's notes."""

    kind: str  # "title", "agenda", "rules", "scenario", "question"
    heading: object  # a KitText or a plain string
    text: object = None  # a KitText
    agenda: tuple = ()  # ShownAgendaItem, titles and minutes only
    follow_ups: object = None  # a KitText
    scenario_title: object = None  # a question slide names its scenario


def room_slides(session: Session, reader: KitReader) -> list[Slide]:
    """The kit as slides for the projector, in the reader's language: the topic, the agenda,
    the ground rules, then each scenario chosen for the session (all of the kit's while none is
    chosen) followed by one slide per discussion question. Built from the participant's view
    of the kit, so that no leader's note can reach the room (three queries)."""
    kit = reader.kit
    chosen = list(session.scenarios.order_by("order").prefetch_related("questions"))
    scenarios = chosen or list(kit.scenarios.order_by("order").prefetch_related("questions"))
    slides = [
        Slide("title", reader.text(kit, "topic")),
        Slide("agenda", _("Agenda"), agenda=tuple(reader.agenda_item(item, leader=False) for item in kit_agenda(kit))),
        Slide("rules", _("Ground rules"), text=reader.text(kit, "ground_rules")),
    ]
    for scenario in scenarios:
        shown = reader.scenario(scenario, leader=False)
        slides.append(Slide("scenario", shown.title, text=shown.text))
        slides.extend(Slide("question", q.text, follow_ups=q.follow_ups, scenario_title=shown.title) for q in shown.questions)
    return slides


def kit_scenarios_with_votes(kit: Kit, session: Session):
    """The kit's scenarios, each with `vote_count`: how many of the session's invitees asked for it."""
    return kit.scenarios.order_by("order").annotate(vote_count=Count("votes", filter=Q(votes__invitation__session=session)))


def session_captures(session: Session, kind: str | None = None):
    """What was written down during the session, oldest first; feeds the leader's feedback."""
    captures = SessionCapture.objects.filter(session=session)
    return captures.filter(kind=kind) if kind else captures


def session_signed_in_count(session: Session) -> int:
    """People signed in so far: those matched to the organization file and the others."""
    return Attendance.objects.filter(session=session).count() + UnmatchedParticipant.objects.filter(session=session).count()


@dataclass(frozen=True)
class SignInSheet:
    """Appendix A: what the printed sign-in sheet holds."""

    session: Session
    topic: str
    year: int
    date: object
    leader: str
    entity: str
    unit: str
    participants: int
    unit_personnel: int
    names: list[str]

    @property
    def lines(self) -> list[tuple[int, str]]:
        """Numbered lines: the names, then blank lines up to at least SHEET_LINES."""
        padded = self.names + [""] * max(0, SHEET_LINES - len(self.names))
        return list(enumerate(padded, start=1))


def sign_in_sheet(session: Session) -> SignInSheet:
    """The sign-in sheet of a session: matched participants by name, then the unmatched ones by
    name; personnel counts the active people of the leader's unit (or of the leader's entity
    without a unit when the leader has none, as the roll-up does)."""
    leader = session.leader
    matched = list(Attendance.objects.filter(session=session).order_by("person__name", "person_id").values_list("person__name", flat=True))
    unmatched = list(UnmatchedParticipant.objects.filter(session=session).order_by("name", "pk").values_list("name", flat=True))
    people = Person.objects.active().filter(entity_id=leader.entity_id)
    people = people.filter(unit_id=leader.unit_id) if leader.unit_id else people.filter(unit__isnull=True)
    return SignInSheet(
        session=session,
        topic=session.cycle.topic,
        year=session.cycle.year,
        date=session.date,
        leader=leader.name,
        entity=str(leader.entity),
        unit=leader.unit.path if leader.unit_id else "",
        participants=len(matched) + len(unmatched),
        unit_personnel=people.count(),
        names=matched + unmatched,
    )


# --- services ----------------------------------------------------------------------------


def session_choose_scenarios(*, session: Session, scenarios: list[Scenario], actor) -> None:
    """Set the scenarios the leader will discuss: two, or three if time allows, all from the
    kit of the session's cycle. Raises ValidationError otherwise."""
    ids = {s.pk for s in scenarios}
    if not MIN_SCENARIOS <= len(ids) <= MAX_SCENARIOS:
        raise ValidationError(_("Choose two or three scenarios."))
    if Scenario.objects.filter(pk__in=ids, kit__cycle_id=session.cycle_id).count() != len(ids):
        raise ValidationError(_("Choose scenarios from this year's kit."))
    with transaction.atomic(durable=True):
        session.scenarios.set(sorted(ids))
        audit_record(actor=actor, action=AuditAction.SESSION_CHOOSE_SCENARIOS, target=f"session:{session.pk}", detail={"scenarios": sorted(ids)})


def session_capture_add(*, session: Session, kind: str, text: str, actor) -> SessionCapture:
    """Write down a question nobody could answer or a key contribution (never a name).
    Raises ValidationError for an empty or too long text or an unknown kind."""
    text = (text or "").strip()
    if kind not in CaptureKind.values:
        raise ValidationError(_("Unknown kind of note."))
    if not text:
        raise ValidationError(_("Write something before saving."))
    if len(text) > MAX_CAPTURE_LENGTH:
        raise ValidationError(_("Keep it under %(limit)d characters.") % {"limit": MAX_CAPTURE_LENGTH})
    with transaction.atomic(durable=True):
        capture = SessionCapture.objects.create(session=session, kind=kind, text=text)
        # The text stays out of the audit trail: it is the session's content, not an action.
        audit_record(actor=actor, action=AuditAction.SESSION_CAPTURE_ADD, target=f"session:{session.pk}", detail={"capture": capture.pk, "kind": kind})
    return capture


def session_capture_delete(*, session: Session, capture_id: int, actor) -> bool:
    """Remove one capture of the session; False if it is not (or no longer) there."""
    with transaction.atomic(durable=True):
        deleted, _rows = SessionCapture.objects.filter(session=session, pk=capture_id).delete()
        if deleted:
            audit_record(actor=actor, action=AuditAction.SESSION_CAPTURE_DELETE, target=f"session:{session.pk}", detail={"capture": capture_id})
    return bool(deleted)
