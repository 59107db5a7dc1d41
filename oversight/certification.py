"""Certification of Appendix E: a focal point submits the entity's roll-up, the head of entity
certifies it, only the Ethics Office reopens it (with a reason). Each step runs in one
transaction with the row locked, so two clicks cannot double-submit or double-certify, and
writes an audit entry. The roll-up is frozen into `snapshot` when submitted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.scope import scope_for
from accounts.services import audit_record
from dialogues.models import Cycle
from org.models import Entity

from .models import Certification, CertificationStatus
from .selectors import EntityRollup, UnitCount, rollup, rollup_document

ACTIONS = ("certification.submit", "certification.certify", "certification.reopen")


# --- reads -----------------------------------------------------------------------------------


def live_rollup(cycle: Cycle, entity: Entity) -> EntityRollup:
    """The entity's roll-up now (an empty one when it has no active personnel)."""
    rows = rollup(cycle, entity_codes=[entity.code])
    return rows[0] if rows else EntityRollup(entity=entity.code, personnel=0, participants=0, units=[])


def snapshot_rollup(snapshot: dict, code: str) -> EntityRollup:
    """The roll-up a snapshot (CONTRACTS §3 JSON) froze, as the selectors return it."""
    for e in snapshot.get("entities", []):
        if e["entity"] == code:
            units = [UnitCount(u["unit"], u["personnel"], u["participants"]) for u in e["units"]]
            return EntityRollup(entity=code, personnel=e["personnel"], participants=e["participants"], units=units)
    return EntityRollup(entity=code, personnel=0, participants=0, units=[])


def certification_for(entity: Entity, cycle: Cycle) -> Certification | None:
    return (
        Certification.objects.filter(entity=entity, cycle=cycle).select_related("submitted_by__person", "certified_by__person", "reopened_by__person").first()
    )


def appendix_e(entity: Entity, cycle: Cycle, certification: Certification | None) -> tuple[EntityRollup, bool]:
    """Appendix E as it stands: the snapshot when submitted or certified, else the live
    roll-up; and whether it is a draft."""
    if certification is not None and certification.frozen:
        return snapshot_rollup(certification.snapshot, entity.code), False
    return live_rollup(cycle, entity), True


def certification_statuses(cycle: Cycle) -> dict[int, str]:
    """{entity id: status} for every entity with a certification row in the cycle; one query."""
    return dict(Certification.objects.filter(cycle=cycle).values_list("entity_id", "status"))


def certification_history(entity: Entity, cycle: Cycle):
    """The audit entries of the entity's certification for the cycle, oldest first."""
    return AuditEntry.objects.filter(action__in=ACTIONS, target=_target(entity, cycle)).select_related("actor__person").order_by("at", "pk")


# --- writes ----------------------------------------------------------------------------------


def _target(entity: Entity, cycle: Cycle) -> str:
    return f"{entity.code}/{cycle.year}"


def _locked(entity: Entity, cycle: Cycle) -> Certification:
    """The row, created if missing, locked until the end of the caller's transaction."""
    Certification.objects.get_or_create(entity=entity, cycle=cycle)
    return Certification.objects.select_for_update().get(entity=entity, cycle=cycle)


def certification_submit(*, actor, entity: Entity, cycle: Cycle) -> Certification:
    """A focal point of the entity submits its roll-up as it stands now: the numbers are frozen
    into the snapshot. Allowed from draft or reopened."""
    if entity.pk not in scope_for(actor).focal_entity_ids:
        raise PermissionDenied
    with transaction.atomic():
        certification = _locked(entity, cycle)
        if certification.status not in (CertificationStatus.DRAFT, CertificationStatus.REOPENED):
            raise ValidationError(_("Appendix E has already been submitted."))
        document = rollup_document(cycle, [live_rollup(cycle, entity)])
        certification.status = CertificationStatus.SUBMITTED
        certification.snapshot = document
        certification.submitted_by = actor
        certification.submitted_at = timezone.now()
        certification.certified_by = certification.certified_at = None
        certification.save()
        audit_record(actor=actor, action="certification.submit", target=_target(entity, cycle), detail={"total": document["total"]})
    return certification


def certification_certify(*, actor, entity: Entity, cycle: Cycle) -> Certification:
    """The head of the entity certifies the submitted snapshot, as it was submitted."""
    if entity.pk not in scope_for(actor).head_entity_ids:
        raise PermissionDenied
    with transaction.atomic():
        certification = _locked(entity, cycle)
        if certification.status == CertificationStatus.CERTIFIED:
            raise ValidationError(_("Appendix E has already been certified."))
        if certification.status != CertificationStatus.SUBMITTED:
            raise ValidationError(_("Appendix E must be submitted by a focal point before it is certified."))
        certification.status = CertificationStatus.CERTIFIED
        certification.certified_by = actor
        certification.certified_at = timezone.now()
        certification.save(update_fields=["status", "certified_by", "certified_at"])
        audit_record(actor=actor, action="certification.certify", target=_target(entity, cycle), detail={"total": certification.snapshot.get("total", {})})
    return certification


def certification_reopen(*, actor, entity: Entity, cycle: Cycle, reason: str) -> Certification:
    """The Ethics Office reopens a submitted or certified Appendix E, giving a reason; the old
    snapshot is kept in the audit entry and the focal point may submit again."""
    if not scope_for(actor).ethics_office:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for reopening."))
    with transaction.atomic():
        certification = _locked(entity, cycle)
        if not certification.frozen:
            raise ValidationError(_("Only a submitted or certified Appendix E can be reopened."))
        previous = {"status": certification.status, "snapshot": certification.snapshot}
        certification.status = CertificationStatus.REOPENED
        certification.reopened_by = actor
        certification.reopened_at = timezone.now()
        certification.reopen_reason = reason
        certification.snapshot = {}
        certification.save()
        audit_record(actor=actor, action="certification.reopen", target=_target(entity, cycle), detail={"reason": reason, "previous": previous})
    return certification
