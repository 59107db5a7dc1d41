"""The sessions of a cycle, with who was invited, who attended and which scenarios they wished for."""

import datetime
import secrets
import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.models import Scenario
from org.models import Cycle, Person


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video conference")
    PHONE = "phone", _("Phone")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


def new_signin_secret() -> str:
    return secrets.token_urlsafe(24)


def signed_in_q() -> Q:
    """Someone signed in to the session (of the query's row): a person of the organization or
    a guest who is not in it."""
    return Exists(Attendance.objects.filter(session=OuterRef("pk"))) | Exists(UnmatchedParticipant.objects.filter(session=OuterRef("pk")))


class SessionQuerySet(models.QuerySet):
    def held(self, now: datetime.datetime | None = None):
        """The sessions *held* at `now` (default: now): not cancelled, and someone signed in or
        their start has passed: `starts_at` for a scheduled session, the start of its day for a
        session known only by its date (imported from a paper sheet)."""
        now = now or timezone.now()
        started = Q(starts_at__lte=now) | Q(starts_at__isnull=True, date__lte=timezone.localdate(now))
        # `started` first: PostgreSQL tries an OR's terms in order, so the attendance of the whole
        # cycle is hashed only if some session has not started (never, for sessions days old).
        return self.filter(~Q(status=SessionStatus.CANCELLED) & (started | signed_in_q()))


class Session(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("cycle"))
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sessions_led", verbose_name=_("leader"))
    # The reference a leader or an import gives the session; unique per leader in a cycle.
    ref = models.CharField(_("reference"), max_length=50)
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode, default=Mode.IN_PERSON)
    # Scheduled sessions know their time; sessions imported from a sheet know only their day.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    location = models.CharField(_("room or link"), max_length=500, blank=True)
    languages = models.CharField(_("languages"), max_length=40, blank=True, help_text=_("Codes separated by commas."))
    status = models.CharField(_("status"), max_length=20, choices=SessionStatus, default=SessionStatus.SCHEDULED)
    # The calendar identity of the invitation: a stable UID and a SEQUENCE bumped on each change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    monitor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions_monitored", verbose_name=_("attendance monitor")
    )
    signin_secret = models.CharField(max_length=64, default=new_signin_secret, editable=False)
    # The scenarios the leader chose for the session (two, a third if time allows).
    scenarios = models.ManyToManyField("kit.Scenario", blank=True, related_name="sessions", verbose_name=_("scenarios"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "ref"]
        constraints = [models.UniqueConstraint(fields=["cycle", "leader", "ref"], name="session_unique_ref")]
        indexes = [models.Index(fields=["cycle", "leader"], name="session_cycle_leader")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.ref} ({self.date})"


class AttendanceMethod(models.TextChoices):
    SELF = "self", _("Self sign-in")
    MONITOR = "monitor", _("Recorded by the leader or monitor")
    CONFERENCE = "conference", _("Video-conference report")
    SHEET = "sheet", _("Paper sign-in sheet")


class Attendance(models.Model):
    # A sign-in is the busiest write there is, so the table carries no index it does not need:
    # the unique constraint serves lookups by session, `attendance_person` those by person, and
    # nothing looks attendance up by who recorded it.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", db_index=False)
    method = models.CharField(max_length=20, choices=AttendanceMethod, default=AttendanceMethod.SHEET)
    # Who recorded it and when: the row is its own audit entry.
    recorded_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session")]
        indexes = [models.Index(fields=["person", "session"], name="attendance_person")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")


class UnmatchedParticipant(models.Model):
    """Someone who attended but is not in the organization file (a consultant, a guest)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="unmatched")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("unmatched participant")
        verbose_name_plural = _("unmatched participants")


class Invitation(models.Model):
    """A person invited to a session, with what they told the leader ahead of it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    needs = models.TextField(_("accessibility or working-hour needs"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="invitation_once_per_session")]


class ScenarioVote(models.Model):
    """An invitee's wish to discuss a scenario."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="votes")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "scenario"], name="vote_once_per_scenario")]


class CaptureKind(models.TextChoices):
    QUESTION = "question", _("A question nobody could answer")
    CONTRIBUTION = "contribution", _("A key contribution")


class SessionCapture(models.Model):
    """Written down during the session in facilitator mode, never with a participant's name."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="captures")
    kind = models.CharField(max_length=20, choices=CaptureKind)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class ReminderSent(models.Model):
    """One reminder e-mail that left (or is leaving): its reason, what it is about (`key`) and
    the period it belongs to (a cycle year, an ISO week). The unique constraint is the claim: a
    run inserts the row before sending, and a second run at the same time cannot insert it."""

    reason = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField(max_length=254)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reason", "key", "period"], name="reminder_once_per_period")]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return f"{self.reason} {self.key} {self.period}"
