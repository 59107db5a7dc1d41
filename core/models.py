"""The two records every layer writes: the audit trail and uploads waiting for confirmation."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the audit trail records, as `AuditEntry.action` stores it: the values are
    data, kept as they were first written; a new action adds a member here."""

    # the organization
    ORG_IMPORT = "org.import"
    PEOPLE_DEACTIVATE = "people.deactivate"
    PEOPLE_REACTIVATE = "people.reactivate"
    # accounts and role grants
    ACCOUNT_LINK_PERSON = "account.link_person"
    ACCOUNT_MUTE_REMINDERS = "account.mute_reminders"
    ACCOUNT_UNMUTE_REMINDERS = "account.unmute_reminders"
    ACCOUNT_PASSWORD_CHANGE = "account.password_change"  # noqa: S105 (an action, not a password)
    ACCOUNT_PASSWORD_RESET = "account.password_reset"  # noqa: S105 (an action, not a password)
    GRANT_REINSTATE = "grant.reinstate"
    GRANT_REMOVE = "grant.remove"
    GRANT_REASSIGN = "grant.reassign"
    # cycles and their kit
    CYCLE_OPEN = "cycle.open"
    CYCLE_UPDATE = "cycle.update"
    KIT_CREATE = "kit.create"
    KIT_SAVE = "kit.save"
    KIT_PUBLISH = "kit.publish"
    KIT_UNPUBLISH = "kit.unpublish"
    KIT_LOAD = "kit.load"
    KIT_AGENDA_SAVE = "kit.agenda.save"
    KIT_AGENDA_DELETE = "kit.agenda.delete"
    KIT_AGENDA_MOVE = "kit.agenda.move"
    KIT_SCENARIO_SAVE = "kit.scenario.save"
    KIT_SCENARIO_DELETE = "kit.scenario.delete"
    KIT_SCENARIO_MOVE = "kit.scenario.move"
    KIT_QUESTION_SAVE = "kit.question.save"
    KIT_QUESTION_DELETE = "kit.question.delete"
    KIT_QUESTION_MOVE = "kit.question.move"
    KIT_TRANSLATION_SAVE = "kit.translation.save"
    # sessions, invitations and reminders
    SESSION_SCHEDULE = "session.schedule"
    SESSION_UPDATE = "session.update"
    SESSION_GUESTS = "session.guests"
    SESSION_CANCEL = "session.cancel"
    SESSION_MONITOR = "session.monitor"
    SESSION_CHOOSE_SCENARIOS = "session.choose_scenarios"
    SESSION_CAPTURE_ADD = "session.capture_add"
    SESSION_CAPTURE_DELETE = "session.capture_delete"
    INVITATION_RESPOND = "invitation.respond"
    REMINDER_CHASE = "reminder.chase"
    # attendance
    ATTENDANCE_IMPORT = "attendance.import"
    ATTENDANCE_MONITOR = "attendance.monitor"
    ATTENDANCE_CONFERENCE = "attendance.conference"
    ATTENDANCE_SHEET = "attendance.sheet"
    # feedback and questions
    FEEDBACK_CREATE = "feedback.create"
    FEEDBACK_UPDATE = "feedback.update"
    QUESTION_ASK = "question.ask"
    QUESTION_UPDATE = "question.update"
    # certification of Appendix E
    CERTIFICATION_STATEMENT = "certification.statement"
    CERTIFICATION_SUBMIT = "certification.submit"
    CERTIFICATION_CERTIFY = "certification.certify"
    CERTIFICATION_REOPEN = "certification.reopen"


class AuditEntry(models.Model):
    """Who did what, when: every state change writes one."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=50)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "accounts_auditentry"  # the table it had in accounts (issue 12 moved the model, not the data)
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC {self.action} {self.target}"


class StagedFile(models.Model):
    """An uploaded file between its preview and the user's confirmation; never a path on disk."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=20)
    data = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "accounts_stagedfile"
