"""Certification of Appendix E: a focal point submits the entity's roll-up, the head of entity
certifies it, only the Ethics Office reopens it (with a reason). Each step runs in one
transaction with the row locked, so two clicks cannot double-submit or double-certify, and
writes an audit entry. The roll-up is frozen into `snapshot` when submitted.

Before either step the Guide's checks run (coverage, managers still waiting or ready, sessions
held but not reported, days left): they warn and never block. The focal point confirms the
submission; the head of entity accepts the cycle's certification statement and, when a check
warns, writes why they certify all the same, which the Ethics Office reads."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.models import AuditAction, AuditEntry
from core.services import audit_record
from org.models import Cycle, Entity

from .models import Certification, CertificationStatement, CertificationStatus
from .selectors import CascadeState, EntityRollup, UnitCount, rollup, rollup_document, state_counts
from .tree import sessions_not_reported

# The steps of the history and the status each leaves Appendix E in.
STEPS = {
    AuditAction.CERTIFICATION_SUBMIT: CertificationStatus.SUBMITTED,
    AuditAction.CERTIFICATION_CERTIFY: CertificationStatus.CERTIFIED,
    AuditAction.CERTIFICATION_REOPEN: CertificationStatus.REOPENED,
}


# --- reads -----------------------------------------------------------------------------------


def live_rollup(cycle: Cycle, entity: Entity) -> EntityRollup:
    """The entity's roll-up now (an empty one when it has no active personnel)."""
    rows = rollup(cycle, entity_codes=[entity.code])
    return rows[0] if rows else EntityRollup(entity=entity.code, personnel=0, participants=0, units=[])


def snapshot_rollup(snapshot: dict, code: str) -> EntityRollup:
    """The roll-up a snapshot (the roll-up JSON) froze, as the selectors return it."""
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


def certification_statuses(cycle: Cycle) -> dict[int, CertificationStatus]:
    """{entity id: status} for every entity with a certification row in the cycle; one query."""
    return {entity_id: CertificationStatus(status) for entity_id, status in Certification.objects.filter(cycle=cycle).values_list("entity_id", "status")}


def certification_history(entity: Entity, cycle: Cycle) -> list[tuple[AuditEntry, CertificationStatus]]:
    """The audit entries of the entity's certification for the cycle, oldest first, each with
    the status its step left Appendix E in."""
    entries = AuditEntry.objects.filter(action__in=list(STEPS), target=_target(entity, cycle)).select_related("actor__person").order_by("at", "pk")
    return [(entry, STEPS[entry.action]) for entry in entries]


# --- the checks before submitting and certifying ----------------------------------------------


@dataclass(frozen=True)
class Check:
    """One warning: a code and its figures, stored as they were and worded in the reader's
    language when shown."""

    code: str
    figures: dict

    def as_dict(self) -> dict:
        return {"code": self.code, **self.figures}

    @property
    def message(self) -> str:
        return check_message(self.as_dict())


def check_message(stored: dict) -> str:
    """A stored check in the reader's language."""
    code = stored.get("code")
    if code == "coverage":
        personnel = stored.get("personnel", 0)
        rate = round(100 * stored.get("participants", 0) / personnel) if personnel else 0
        return _("Coverage is %(rate)d %%: %(participants)d of %(personnel)d people have taken part.") % {
            "rate": rate,
            "participants": stored.get("participants", 0),
            "personnel": personnel,
        }
    if code == "managers":
        waiting, ready = stored.get(CascadeState.WAITING, 0), stored.get(CascadeState.READY, 0)
        count = waiting + ready
        return ngettext(
            "%(count)d manager has not held a session yet (%(waiting)d waiting for their own, %(ready)d ready).",
            "%(count)d managers have not held a session yet (%(waiting)d waiting for their own, %(ready)d ready).",
            count,
        ) % {"count": count, "waiting": waiting, "ready": ready}
    if code == "not_reported":
        count = stored.get("sessions", 0)
        return ngettext(
            "%(count)d session was held but its leader has not reported it (Appendix C).",
            "%(count)d sessions were held but their leaders have not reported them (Appendix C).",
            count,
        ) % {"count": count}
    if code == "deadline":
        days = stored.get("days", 0)
        return ngettext(
            "%(days)d day is left before the deadline: there is still time to reach the others.",
            "%(days)d days are left before the deadline: there is still time to reach the others.",
            days,
        ) % {"days": days}
    return str(code)


def certification_checks(entity: Entity, cycle: Cycle, appendix: EntityRollup, *, today: datetime.date | None = None) -> list[Check]:
    """What the Guide asks a focal point and a head to look at before Appendix E goes on:
    coverage of `appendix` below 100 %, managers still waiting or ready, sessions held and not
    reported, and, when any of these warns, the days left to the deadline. Three queries."""
    today = today or timezone.localdate()
    checks = []
    if appendix.participants < appendix.personnel:
        checks.append(Check("coverage", {"participants": appendix.participants, "personnel": appendix.personnel}))
    states = state_counts(cycle, entity_ids=[entity.pk]).get(entity.pk, {})
    waiting, ready = states.get(CascadeState.WAITING, 0), states.get(CascadeState.READY, 0)
    if waiting or ready:
        checks.append(Check("managers", {CascadeState.WAITING.value: waiting, CascadeState.READY.value: ready}))
    not_reported = sessions_not_reported(cycle, entity.pk, today=today).total
    if not_reported:
        checks.append(Check("not_reported", {"sessions": not_reported}))
    days_left = (cycle.deadline - today).days
    if checks and days_left > 0:
        checks.append(Check("deadline", {"days": days_left}))
    return checks


def default_statement() -> str:
    return _(
        "I certify that, to the best of my knowledge, the figures above are complete and correct: "
        "they count the personnel of my entity who took part in the Leadership Dialogue of this cycle, "
        "from the sign-in sheets collected by our focal point."
    )


def certification_statement(cycle: Cycle, language: str | None = None) -> tuple[str, str]:
    """The statement a head accepts, and its language: the Ethics Office's text in `language`
    (the reader's by default), else in English, else Cascade's own wording in the reader's."""
    language = language or get_language() or "en"
    texts = dict(CertificationStatement.objects.filter(cycle=cycle, language__in=[language, "en"]).values_list("language", "text"))
    for code in (language, "en"):
        if texts.get(code, "").strip():
            return texts[code], code
    return default_statement(), language


def certification_statements_set(*, actor, cycle: Cycle, texts: dict[str, str]) -> None:
    """The Ethics Office sets the cycle's certification statement in each language (an empty
    text removes that language's)."""
    if not scope_for(actor).ethics_office:
        raise PermissionDenied
    with transaction.atomic():
        for language, text in texts.items():
            text = (text or "").strip()
            if text:
                CertificationStatement.objects.update_or_create(cycle=cycle, language=language, defaults={"text": text})
            else:
                CertificationStatement.objects.filter(cycle=cycle, language=language).delete()
        audit_record(actor=actor, action=AuditAction.CERTIFICATION_STATEMENT, target=str(cycle.year), detail={"languages": sorted(k for k, v in texts.items() if (v or "").strip())})


# --- writes ----------------------------------------------------------------------------------


def _target(entity: Entity, cycle: Cycle) -> str:
    return f"{entity.code}/{cycle.year}"


def _locked(entity: Entity, cycle: Cycle) -> Certification:
    """The row, created if missing, locked until the end of the caller's transaction."""
    Certification.objects.get_or_create(entity=entity, cycle=cycle)
    return Certification.objects.select_for_update().get(entity=entity, cycle=cycle)


def certification_submit(*, actor, entity: Entity, cycle: Cycle, confirmed: bool, today: datetime.date | None = None) -> Certification:
    """A focal point of the entity submits its roll-up as it stands now, having confirmed it
    after reading the checks: the numbers are frozen into the snapshot and the checks' warnings
    kept beside them. Allowed from draft or reopened."""
    if entity.pk not in scope_for(actor).focal_entity_ids:
        raise PermissionDenied
    if not confirmed:
        raise ValidationError(_("Confirm that you have read the checks and want to submit Appendix E."))
    with transaction.atomic():
        certification = _locked(entity, cycle)
        if certification.status not in (CertificationStatus.DRAFT, CertificationStatus.REOPENED):
            raise ValidationError(_("Appendix E has already been submitted."))
        appendix = live_rollup(cycle, entity)
        warnings = [check.as_dict() for check in certification_checks(entity, cycle, appendix, today=today)]
        document = rollup_document(cycle, [appendix])
        certification.status = CertificationStatus.SUBMITTED
        certification.snapshot = document
        certification.submit_warnings = warnings
        certification.submitted_by = actor
        certification.submitted_at = timezone.now()
        certification.certified_by = certification.certified_at = None
        certification.certify_warnings, certification.certify_reason = [], ""
        certification.statement = certification.statement_language = certification.certified_name = ""
        certification.save()
        audit_record(actor=actor, action=AuditAction.CERTIFICATION_SUBMIT, target=_target(entity, cycle), detail={"total": document["total"], "warnings": warnings})
    return certification


def certification_certify(
    *, actor, entity: Entity, cycle: Cycle, statement_accepted: bool, reason: str = "", language: str | None = None, today: datetime.date | None = None
) -> Certification:
    """The head of the entity certifies the submitted snapshot, as it was submitted, by
    accepting the cycle's certification statement (recorded in the language they read it in,
    with their name and the time). When a check warns, a written reason is required."""
    if entity.pk not in scope_for(actor).head_entity_ids:
        raise PermissionDenied
    if not statement_accepted:
        raise ValidationError(_("Accept the certification statement to certify."))
    reason = (reason or "").strip()
    with transaction.atomic():
        certification = _locked(entity, cycle)
        if certification.status == CertificationStatus.CERTIFIED:
            raise ValidationError(_("Appendix E has already been certified."))
        if certification.status != CertificationStatus.SUBMITTED:
            raise ValidationError(_("Appendix E must be submitted by a focal point before it is certified."))
        appendix = snapshot_rollup(certification.snapshot, entity.code)
        warnings = [check.as_dict() for check in certification_checks(entity, cycle, appendix, today=today)]
        if warnings and not reason:
            raise ValidationError(_("Some checks warn: say why you certify Appendix E all the same."))
        statement, statement_language = certification_statement(cycle, language)
        person = getattr(actor, "person", None)
        certification.status = CertificationStatus.CERTIFIED
        certification.certified_by = actor
        certification.certified_at = timezone.now()
        certification.certified_name = person.name if person is not None else actor.email
        certification.statement, certification.statement_language = statement, statement_language
        certification.certify_warnings, certification.certify_reason = warnings, reason if warnings else ""
        certification.save()
        audit_record(
            actor=actor,
            action=AuditAction.CERTIFICATION_CERTIFY,
            target=_target(entity, cycle),
            detail={"total": certification.snapshot.get("total", {}), "warnings": warnings, "reason": certification.certify_reason},
        )
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
        audit_record(actor=actor, action=AuditAction.CERTIFICATION_REOPEN, target=_target(entity, cycle), detail={"reason": reason, "previous": previous})
    return certification
