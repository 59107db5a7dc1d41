from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CERTIFIED = "certified", _("Certified")
    REOPENED = "reopened", _("Reopened")

    @property
    def summary(self) -> str:
        """Where the entity stands, as the dashboards, the certification page and the annual
        report say it: a draft is "not submitted", a submission "awaiting certification";
        `label` is the record's own word (the admin, the XLSX export)."""
        return _SUMMARIES.get(self, self.label)


_SUMMARIES = {
    CertificationStatus.DRAFT: _("Not submitted"),
    CertificationStatus.SUBMITTED: _("Submitted, awaiting certification"),
}


class Certification(models.Model):
    """Appendix E of one entity for one cycle: submitted by a focal point, certified by the
    head of entity, reopened only by the Ethics Office. `snapshot` holds the roll-up as
    submitted (the roll-up JSON of `rollup`); later attendance never changes it."""

    entity = models.ForeignKey("org.Entity", on_delete=models.CASCADE, related_name="certifications", verbose_name=_("entity"))
    cycle = models.ForeignKey("org.Cycle", on_delete=models.CASCADE, related_name="certifications", verbose_name=_("cycle"))
    status = models.CharField(_("status"), max_length=10, choices=CertificationStatus, default=CertificationStatus.DRAFT)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("certified by")
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reopened by"))
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # What the checks said when the focal point submitted and when the head certified (a list
    # of {"code": ..., figures}; see certification.CHECKS), the statement the head accepted,
    # in the language they read it in, their name as recorded then, and their reason for
    # certifying despite warnings (read by the Ethics Office).
    submit_warnings = models.JSONField(_("warnings when submitted"), default=list, blank=True)
    certify_warnings = models.JSONField(_("warnings when certified"), default=list, blank=True)
    statement = models.TextField(_("certification statement accepted"), blank=True)
    statement_language = models.CharField(_("language of the statement"), max_length=10, blank=True)
    certified_name = models.CharField(_("certified by (name)"), max_length=200, blank=True)
    certify_reason = models.TextField(_("reason for certifying with warnings"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "cycle"], name="certification_unique_entity_cycle")]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.entity_id}/{self.cycle_id} {self.status}"

    @property
    def frozen(self) -> bool:
        """Submitted or certified: the snapshot, not the live roll-up, is Appendix E."""
        return self.status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED)


class CertificationStatement(models.Model):
    """The statement a head of entity accepts when certifying, set by the Ethics Office for a
    cycle in each language; a language without one falls back to English, then to Cascade's
    own wording."""

    cycle = models.ForeignKey("org.Cycle", on_delete=models.CASCADE, related_name="certification_statements", verbose_name=_("cycle"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("statement"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "language"], name="certification_statement_unique")]
        verbose_name = _("certification statement")
        verbose_name_plural = _("certification statements")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.language}"
