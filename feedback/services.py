"""Writes of leader feedback and questions: one transaction each, with an audit entry.

Questions reach the Ethics Office when the leader submits the feedback form, from its
"questions that could not be answered" field (one per line). The questions written down in
facilitator mode are prefilled into that field, so the leader reviews them before they leave
(a question answered after all, a name written by mistake) and each reaches the queue once.
"""

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from dialogues.invitations import language_of
from dialogues.models import Session
from org.models import Cycle, Person

from . import selectors
from .models import LeaderFeedback, Question, QuestionKind, QuestionStatus

MAX_QUESTION_LENGTH = 2000
MAX_QUESTIONS_PER_SESSION = 50

NUMBER_FIELDS = ["participants", "unit_personnel", "guide_rating", "topics_rating"]
TEXT_FIELDS = [
    "went_well",
    "went_badly",
    "unanswered_questions",
    "recommended_changes",
    "recommended_topics",
    "key_contributions",
]


def question_lines(text: str) -> list[str]:
    """The questions of the feedback field: one per non-empty line, spaces tidied, each once."""
    seen, lines = set(), []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line.casefold() not in seen:
            seen.add(line.casefold())
            lines.append(line)
    return lines


def _sync_questions(session: Session, lines: list[str]) -> tuple[list[int], list[int]]:
    """Create a Question for each new line; drop those no longer listed while the Ethics Office
    has not started on them (status new). Returns (created ids, deleted ids)."""
    existing = {q.text.casefold(): q for q in Question.objects.filter(session=session)}
    wanted = {line.casefold() for line in lines}
    created = Question.objects.bulk_create(
        [
            Question(cycle_id=session.cycle_id, entity_id=session.leader.entity_id, session=session, text=line)
            for line in lines
            if line.casefold() not in existing
        ]
    )
    stale = [q.pk for key, q in existing.items() if key not in wanted and q.status == QuestionStatus.NEW]
    if stale:
        Question.objects.filter(pk__in=stale).delete()
    # bulk_create sets primary keys on PostgreSQL and SQLite alike.
    return [q.pk for q in created], stale


def leader_feedback_save(*, session: Session, data: dict, actor) -> LeaderFeedback:
    """Create or update the session's feedback (Appendix C) from a valid form's `data`, and
    forward its unanswered questions to the Ethics Office. An existing feedback is frozen once
    the entity is certified (ValidationError); a session not reported by then may still be."""
    lines = question_lines(data.get("unanswered_questions", ""))
    if len(lines) > MAX_QUESTIONS_PER_SESSION:
        raise ValidationError(_("List at most %(limit)d questions.") % {"limit": MAX_QUESTIONS_PER_SESSION})
    if any(len(line) > MAX_QUESTION_LENGTH for line in lines):
        raise ValidationError(_("Keep each question under %(limit)d characters.") % {"limit": MAX_QUESTION_LENGTH})
    with transaction.atomic(durable=True):
        # Lock the session so that two submissions at once make one feedback, not an error.
        Session.objects.select_for_update().filter(pk=session.pk).first()
        feedback = LeaderFeedback.objects.filter(session=session).first()
        created = feedback is None
        if not created and selectors.entity_is_certified(feedback.entity, session.cycle):
            raise ValidationError(_("Your entity has certified this cycle: the feedback can no longer change."))
        if created:
            feedback = LeaderFeedback(session=session, entity_id=session.leader.entity_id, unit_id=session.leader.unit_id)
        for name in NUMBER_FIELDS:
            setattr(feedback, name, data[name])
        for name in TEXT_FIELDS:
            setattr(feedback, name, data.get(name, ""))
        feedback.unanswered_questions = "\n".join(lines)
        feedback.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        feedback.full_clean(exclude=["session", "entity", "unit", "submitted_by"])
        feedback.save()
        feedback.scenarios_used.set([s.pk for s in data.get("scenarios_used", [])])
        new_ids, dropped_ids = _sync_questions(session, lines)
        audit_record(
            actor=actor,
            action=AuditAction.FEEDBACK_CREATE if created else AuditAction.FEEDBACK_UPDATE,
            target=f"session:{session.pk}",
            detail={"feedback": feedback.pk, "questions_created": new_ids, "questions_dropped": dropped_ids},
        )
    return feedback


# --- the Ethics Office's questions ------------------------------------------------------


MAX_QUESTION_LENGTH = 2000


def question_ask(*, leader: Person, cycle: Cycle, text: str, actor) -> Question:
    """A leader asks the Ethics Office about the materials before holding a session; the
    question joins the same queue, marked as such, and the answer comes back to them."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question."))
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError(_("Keep it under %(limit)d characters.") % {"limit": MAX_QUESTION_LENGTH})
    with transaction.atomic(durable=True):
        question = Question.objects.create(cycle=cycle, entity_id=leader.entity_id, kind=QuestionKind.MATERIALS, asked_by=leader, text=text)
        audit_record(actor=actor, action=AuditAction.QUESTION_ASK, target=f"question:{question.pk}", detail={"kind": QuestionKind.MATERIALS})
    return question


def answer_message(question: Question, *, base_url: str = "") -> EmailMessage | None:
    """The e-mail that brings an answer to the session's leader (or to the leader who asked
    about the materials), in their language."""
    session = question.session
    leader = session.leader if session is not None else question.asked_by
    if leader is None or not leader.email:
        return None
    language = language_of(leader)
    with translation.override(language):
        context = {"question": question, "session": session, "leader": leader, "questions_url": base_url + reverse("feedback:my_questions")}
        subject = render_to_string("feedback/email/answer_subject.txt", context).strip()
        body = render_to_string("feedback/email/answer.txt", context)
    return EmailMessage(subject=subject, body=body, to=[leader.email], headers={"Content-Language": language})


def _send_answer(question_id: int, base_url: str) -> None:
    question = Question.objects.select_related("session__leader", "session__cycle", "asked_by").get(pk=question_id)
    message = answer_message(question, base_url=base_url)
    if message is not None:
        mailers.default.send_messages([message])


ANSWERED = (QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED)


def question_update(*, question: Question, status: str, answer: str, assigned_to, actor, base_url: str = "") -> Question:
    """Assign, move and answer a question. An answered or published question needs an answer;
    publishing needs the answer first. The first time a question becomes answered, the answer
    goes to the session's leader by e-mail once the change is saved. Raises ValidationError."""
    answer = (answer or "").strip()
    if status not in QuestionStatus.values:
        raise ValidationError(_("Unknown status."))
    if status in ANSWERED and not answer:
        raise ValidationError(_("Write the answer before marking the question answered or published."))
    if assigned_to is not None and not selectors.ethics_office_staff().filter(pk=assigned_to.pk).exists():
        raise ValidationError(_("Assign the question to a member of the Ethics Office."))
    with transaction.atomic(durable=True):
        current = Question.objects.select_for_update().get(pk=question.pk)
        now = timezone.now()
        newly_answered = status in ANSWERED and current.status not in ANSWERED
        changes = {}
        if current.status != status:
            changes["status"] = [current.status, status]
        if current.assigned_to_id != (assigned_to.pk if assigned_to else None):
            changes["assigned_to"] = [current.assigned_to_id, assigned_to.pk if assigned_to else None]
        if current.answer != answer:
            changes["answer"] = True  # the text itself stays in the question, not in the trail
        current.status, current.answer, current.assigned_to = status, answer, assigned_to
        if newly_answered:
            current.answered_at = now
        elif status not in ANSWERED:
            current.answered_at = None
        if status == QuestionStatus.PUBLISHED:
            current.published_at = current.published_at or now
        else:
            current.published_at = None
        current.save(update_fields=["status", "answer", "assigned_to", "answered_at", "published_at"])
        audit_record(actor=actor, action=AuditAction.QUESTION_UPDATE, target=f"question:{current.pk}", detail=changes)
        if newly_answered:
            question_id = current.pk
            transaction.on_commit(lambda: _send_answer(question_id, base_url))
    return current


# --- the facilitator assessment (Appendix F): written in anonymity.py (design: docs/anonymity.md)
from .anonymity import assessment_submit, assessment_token_issue  # noqa: E402, F401
