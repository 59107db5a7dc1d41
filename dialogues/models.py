"""The yearly cycle and its sessions, with who attended each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Person


class Cycle(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    topic = models.CharField(_("topic"), max_length=300)
    opens = models.DateField(_("opens"))
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lte=models.F("deadline")), name="cycle_opens_before_deadline")
        ]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return f"{self.year} — {self.topic}"

    def contains(self, day) -> bool:
        return self.opens <= day <= self.deadline


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video conference")
    PHONE = "phone", _("Phone")


class Session(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("cycle"))
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sessions_led", verbose_name=_("leader"))
    # The reference a leader or an import gives the session; unique per leader in a cycle.
    ref = models.CharField(_("reference"), max_length=50)
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode, default=Mode.IN_PERSON)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "ref"]
        constraints = [models.UniqueConstraint(fields=["cycle", "leader", "ref"], name="session_unique_ref")]
        indexes = [models.Index(fields=["cycle", "leader"], name="session_cycle_leader")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.ref} ({self.date})"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
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
