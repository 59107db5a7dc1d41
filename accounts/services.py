"""Writes about accounts and the audit trail."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, StagedFile, User


def audit_record(*, actor, action: str, target: str = "", detail: dict | None = None) -> AuditEntry:
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


def user_link_person(user) -> None:
    """Link an account to the person of the organization file with the same e-mail, so that
    roles derived from reporting lines follow people who were given an account by hand."""
    if user.person_id is not None:
        return
    from org.models import Person

    matches = list(Person.objects.filter(active=True, email__iexact=user.email).values_list("pk", flat=True)[:2])
    if len(matches) == 1 and not type(user).objects.filter(person_id=matches[0]).exists():
        user.person_id = matches[0]
        user.save(update_fields=["person"])
        audit_record(actor=user, action="account.link_person", target=user.email)


def user_set_mute_reminders(*, user, mute: bool) -> None:
    """Mute or unmute the user's non-essential reminders (digests, nudges, escalations)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(mute_reminders=mute)
        user.mute_reminders = mute
        audit_record(actor=user, action="account.mute_reminders" if mute else "account.unmute_reminders", target=user.email)


def user_password_changed(*, user, how: str) -> None:
    """Record that the user's password was changed (`how`: "change" with the old one, "reset"
    by the e-mailed link); call it inside the transaction that saved it."""
    audit_record(actor=user, action=f"account.password_{how}", target=user.email)
