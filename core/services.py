"""Writes of the audit trail and of staged uploads."""

import datetime

from django.utils import timezone

from .models import AuditAction, AuditEntry, StagedFile


def audit_record(*, actor, action: AuditAction, target: str = "", detail: dict | None = None) -> AuditEntry:
    """Record who did what; call it inside the transaction of the change it describes."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(actor=actor, action=action, target=target[:200], detail=detail or {})


STAGED_LIFETIME = datetime.timedelta(hours=1)


def staged_file_put(*, user, kind: str, data: bytes, options: dict | None = None) -> StagedFile:
    """Keep an upload until the user confirms its preview; older ones of the user are dropped."""
    StagedFile.objects.filter(user=user, kind=kind).delete()
    return StagedFile.objects.create(user=user, kind=kind, data=data, options=options or {})


def staged_file_take(*, user, kind: str, pk) -> StagedFile | None:
    """The user's staged upload, removed from the stage; None if missing or expired."""
    staged = StagedFile.objects.filter(
        user=user, kind=kind, pk=pk, created_at__gte=timezone.now() - STAGED_LIFETIME
    ).first()
    if staged is not None:
        StagedFile.objects.filter(pk=staged.pk).delete()
    return staged
