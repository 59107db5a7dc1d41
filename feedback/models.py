"""Leader feedback (Appendix C), anonymous facilitator assessments (Appendix F), questions.

- LeaderFeedback: what a session's leader reports after the session (Appendix C);
- Question: a question nobody could answer in a session, in the Ethics Office's queue;
- TokenIssue, AssessmentToken, FacilitatorAssessment: the anonymous assessment (Appendix F).
None of them ever holds a participant's name.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogues.models import Session
from kit.models import Scenario
from org.models import Cycle, Entity, Person, Unit


class Rating(models.IntegerChoices):
    POOR = 1, _("1 — poor")
    FAIR = 2, _("2 — fair")
    GOOD = 3, _("3 — good")
    VERY_GOOD = 4, _("4 — very good")
    EXCELLENT = 5, _("5 — excellent")


def _rating_field(verbose_name):
    return models.PositiveSmallIntegerField(verbose_name, choices=Rating, validators=[MinValueValidator(1), MaxValueValidator(5)])


class LeaderFeedback(models.Model):
    """Appendix C, one per session. Date and leader come from the session; entity, unit and
    the two counts are kept as reported, so that later changes to the organization file do
    not rewrite what the leader said."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session"))
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name=_("entity"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit"))
    participants = models.PositiveIntegerField(_("participants"))
    unit_personnel = models.PositiveIntegerField(_("unit personnel"))
    guide_rating = _rating_field(_("quality and ease of use of the guide"))
    scenarios_used = models.ManyToManyField(Scenario, blank=True, related_name="+", verbose_name=_("scenarios used"))
    topics_rating = _rating_field(_("the topics"))
    went_well = models.TextField(_("what went well"))
    went_badly = models.TextField(_("what did not go well"))
    unanswered_questions = models.TextField(_("questions that could not be answered"), blank=True)
    recommended_changes = models.TextField(_("recommended changes"), blank=True)
    recommended_topics = models.TextField(_("recommended topics"), blank=True)
    key_contributions = models.TextField(_("key contributions"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(guide_rating__gte=1, guide_rating__lte=5), name="feedback_guide_rating_1_5"),
            models.CheckConstraint(condition=models.Q(topics_rating__gte=1, topics_rating__lte=5), name="feedback_topics_rating_1_5"),
        ]
        verbose_name = _("leader feedback")
        verbose_name_plural = _("leader feedback")

    def __str__(self) -> str:
        return f"{self.session}"


class QuestionStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Published")


class QuestionKind(models.TextChoices):
    SESSION = "session", _("Raised in a session")
    MATERIALS = "materials", _("About the materials, before a session")


class Question(models.Model):
    """A question a session could not answer, forwarded to the Ethics Office. The session is
    kept only to route the answer back to its leader; no participant's name is ever stored."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="questions", verbose_name=_("cycle"))
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name=_("entity"))
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions", verbose_name=_("session"))
    text = models.TextField(_("question"))
    # A leader may ask about the materials before holding a session: then no session, and the
    # answer goes back to who asked.
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind, default=QuestionKind.SESSION)
    asked_by = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("asked by"))
    status = models.CharField(_("status"), max_length=20, choices=QuestionStatus, default=QuestionStatus.NEW)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assigned to"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["cycle", "status"], name="question_cycle_status"),
            models.Index(fields=["cycle", "entity"], name="question_cycle_entity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["answered", "published"]) | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="question_answered_has_answer",
            ),
            models.CheckConstraint(condition=~models.Q(status="published") | models.Q(published_at__isnull=False), name="question_published_has_date"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.status in (QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED)


# --- Appendix F: the anonymous facilitator assessment ------------------------------------
# The design and its limits are written down in docs/anonymity.md. In short: who received
# a token (TokenIssue) and which tokens are unused (AssessmentToken) live in two tables that
# share only the session; an answer (FacilitatorAssessment) keeps its session and its day.


class TokenIssue(models.Model):
    """That `person` was given a token for `session`, never which one. The unique constraint
    is what makes a reload or a second click unable to issue a second token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="token_issue_once")]
        verbose_name = _("assessment token issued")
        verbose_name_plural = _("assessment tokens issued")


class AssessmentToken(models.Model):
    """An unused token of a session: only the SHA-256 of its secret. No person, no time; a
    random key. The row is deleted in the transaction that stores the answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("unused assessment token")
        verbose_name_plural = _("unused assessment tokens")


class FacilitatorAssessment(models.Model):
    """Appendix F, one participant's answers: the session, five ratings, two optional texts and
    the day. No person, no token, no time of day, no address; a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session"))
    preparation = _rating_field(_("preparation"))
    inclusion = _rating_field(_("inclusion of quieter colleagues"))
    safety = _rating_field(_("psychological safety"))
    time_use = _rating_field(_("use of time"))
    overall = _rating_field(_("overall"))
    comment = models.TextField(_("comment"), blank=True)
    topic_suggestion = models.TextField(_("suggested topic for next year"), blank=True)
    day = models.DateField(_("day"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"assessment_{name}_1_5")
            for name in ["preparation", "inclusion", "safety", "time_use", "overall"]
        ]
        verbose_name = _("facilitator assessment")
        verbose_name_plural = _("facilitator assessments")


ASSESSMENT_RATINGS = ["preparation", "inclusion", "safety", "time_use", "overall"]
