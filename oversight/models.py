from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CERTIFIED = "certified", _("Certified")
    REOPENED = "reopened", _("Reopened")


class Certification(models.Model):
    """Appendix E of one entity for one cycle: submitted by a focal point, certified by the
    head of entity, reopened only by the Ethics Office. `snapshot` holds the roll-up as
    submitted (CONTRACTS §3 JSON); later attendance never changes it."""

    entity = models.ForeignKey("org.Entity", on_delete=models.CASCADE, related_name="certifications", verbose_name=_("entity"))
    cycle = models.ForeignKey("dialogues.Cycle", on_delete=models.CASCADE, related_name="certifications", verbose_name=_("cycle"))
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
