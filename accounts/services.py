"""Writes about accounts and the audit trail."""

from .models import AuditEntry


def audit_record(*, actor, action: str, target: str = "", detail: dict | None = None) -> AuditEntry:
    """Record who did what; call it inside the transaction of the change it describes."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(actor=actor, action=action, target=target[:200], detail=detail or {})
