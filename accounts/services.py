"""Writes about accounts and the audit trail."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from org.models import Person
from org.signals import AccessChange

from .models import CENTRAL_ROLES, RoleGrant, User
from .scope import scope_for


def user_link_person(user) -> None:
    """Link an account to the person of the organization file with the same e-mail, so that
    roles derived from reporting lines follow people who were given an account by hand."""
    if user.person_id is not None:
        return
    matches = list(Person.objects.active().filter(email__iexact=user.email).values_list("pk", flat=True)[:2])
    if len(matches) == 1 and not type(user).objects.filter(person_id=matches[0]).exists():
        user.person_id = matches[0]
        user.save(update_fields=["person"])
        audit_record(actor=user, action=AuditAction.ACCOUNT_LINK_PERSON, target=user.email)


def user_set_mute_reminders(*, user, mute: bool) -> None:
    """Mute or unmute the user's non-essential reminders (digests, nudges, escalations)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(mute_reminders=mute)
        user.mute_reminders = mute
        audit_record(actor=user, action=AuditAction.ACCOUNT_MUTE_REMINDERS if mute else AuditAction.ACCOUNT_UNMUTE_REMINDERS, target=user.email)


def user_password_changed(*, user, how: str) -> None:
    """Record that the user's password was changed (`how`: "change" with the old one, "reset"
    by the e-mailed link); call it inside the transaction that saved it."""
    action = {"change": AuditAction.ACCOUNT_PASSWORD_CHANGE, "reset": AuditAction.ACCOUNT_PASSWORD_RESET}[how]
    audit_record(actor=user, action=action, target=user.email)


# --- access that ends with the organization --------------------------------------------------

# Ids per statement: an import may close tens of thousands of accounts at once.
CHUNK = 5000


def _accounts_of_people(person_ids) -> Q:
    """The accounts of these people: linked to their record, or never linked yet but holding
    the e-mail of one of them that nobody else active holds (an account made by hand for
    someone who has not logged in since)."""
    departed_emails = Person.objects.filter(pk__in=person_ids).annotate(lower=Lower("email")).values("lower")
    still_here = Person.objects.active().exclude(pk__in=person_ids).annotate(lower=Lower("email")).filter(lower=OuterRef("email_lower"))
    unlinked = (
        User.objects.filter(person__isnull=True)
        .alias(email_lower=Lower("email"))
        .filter(email_lower__in=departed_emails)
        .exclude(Exists(still_here))
        .values("pk")
    )
    return Q(person_id__in=person_ids) | Q(pk__in=unlinked)


def on_people_left(sender, *, person_ids, dry_run: bool, **kwargs) -> AccessChange:
    """Receiver of `org.signals.people_left` (connected in AccountsConfig.ready)."""
    return access_end_for_people(person_ids=person_ids, dry_run=dry_run)


def on_people_returned(sender, *, person_ids, dry_run: bool, **kwargs) -> tuple[int, int]:
    """Receiver of `org.signals.people_returned`."""
    return access_restore_for_people(person_ids=person_ids, dry_run=dry_run)


def access_end_for_people(*, person_ids, dry_run: bool = False) -> AccessChange:
    """Close the accounts of these people, end every login session of those accounts and
    suspend all their role grants; with `dry_run`, only count them. Set-based (two statements
    per 5,000 people); it runs in the caller's transaction and writes no audit entry:
    `org.services.people_deactivate`, whose signal calls it, does. Suspended grants stay suspended
    if the account is reopened."""
    person_ids = list(person_ids)
    now = timezone.now()
    accounts = grants = 0
    for start in range(0, len(person_ids), CHUNK):
        owners = User.objects.filter(_accounts_of_people(person_ids[start : start + CHUNK]))
        their_grants = RoleGrant.objects.in_force().filter(user__in=owners.values("pk"))
        open_accounts = owners.filter(is_active=True)
        if dry_run:
            grants += their_grants.count()
            accounts += open_accounts.count()
        else:
            grants += their_grants.update(suspended_at=now)
            accounts += open_accounts.update(is_active=False, session_generation=F("session_generation") + 1)
    return AccessChange(people=len(person_ids), accounts=accounts, grants=grants)


def access_restore_for_people(*, person_ids, dry_run: bool = False) -> tuple[int, int]:
    """Reopen the closed accounts linked to these people (who are back in the organization);
    their suspended grants stay suspended until the Ethics Office reinstates them. Returns
    (accounts reopened, grants still suspended); with `dry_run`, only counts. Runs in the
    caller's transaction."""
    person_ids = list(person_ids)
    accounts = suspended = 0
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        closed = User.objects.filter(person_id__in=chunk, is_active=False)
        accounts += closed.count() if dry_run else closed.update(is_active=True)
        suspended += RoleGrant.objects.suspended().filter(user__person_id__in=chunk).count()
    return accounts, suspended


# --- suspended grants: the Ethics Office reinstates, removes or gives them to someone else ----


def _grant_target(grant: RoleGrant) -> str:
    return f"{grant.role}/{grant.entity.code}" if grant.entity_id else grant.role


def _locked_suspended_grant(actor, grant_id: int) -> RoleGrant:
    if not scope_for(actor).ethics_office:
        raise PermissionDenied
    grant = RoleGrant.objects.suspended().select_for_update(of=("self",)).filter(pk=grant_id).select_related("user", "entity").first()
    if grant is None:
        raise ValidationError(_("This grant is no longer suspended."))
    return grant


def _may_hold(user: User, role: str) -> None:
    """Refuse a role to a closed account, and keep the roles apart: an entity's role (its
    names) is not for the Ethics Office (numbers only) nor for the organization administrator
    (no attendance), and those two are not held together."""
    if not user.is_active:
        raise ValidationError(_("The account %(email)s is closed: its holder is not in the organization.") % {"email": user.email})
    held = set(RoleGrant.objects.in_force().filter(user=user).values_list("role", flat=True))
    if role in CENTRAL_ROLES:
        conflicting = held - {role}
    else:
        conflicting = held & set(CENTRAL_ROLES)
    if conflicting:
        raise ValidationError(
            _("%(email)s may not hold an entity’s role together with the Ethics Office or the organization administrator.") % {"email": user.email}
            if role not in CENTRAL_ROLES
            else _("%(email)s already holds another role that may not be held with this one.") % {"email": user.email}
        )


def grant_reinstate(*, actor, grant_id: int) -> RoleGrant:
    """The Ethics Office gives a suspended grant back to its holder, whose account is open."""
    with transaction.atomic():
        grant = _locked_suspended_grant(actor, grant_id)
        _may_hold(grant.user, grant.role)
        grant.suspended_at = None
        grant.save(update_fields=["suspended_at"])
        audit_record(actor=actor, action=AuditAction.GRANT_REINSTATE, target=_grant_target(grant), detail={"user": grant.user.email})
    return grant


def grant_remove(*, actor, grant_id: int) -> None:
    """The Ethics Office removes a suspended grant for good."""
    with transaction.atomic():
        grant = _locked_suspended_grant(actor, grant_id)
        audit_record(actor=actor, action=AuditAction.GRANT_REMOVE, target=_grant_target(grant), detail={"user": grant.user.email})
        grant.delete()


def grant_reassign(*, actor, grant_id: int, email: str) -> RoleGrant:
    """The Ethics Office gives the role of a suspended grant (a focal point or a head of
    entity) to another open account, found by e-mail; the suspended grant is removed."""
    with transaction.atomic():
        grant = _locked_suspended_grant(actor, grant_id)
        if grant.role in CENTRAL_ROLES:
            raise ValidationError(_("Only an entity’s role is given to someone else here; central roles are granted in the administration."))
        target = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if target is None:
            raise ValidationError(_("No open account uses the e-mail address %(email)s.") % {"email": email.strip()})
        _may_hold(target, grant.role)
        given, created = RoleGrant.objects.get_or_create(user=target, role=grant.role, entity=grant.entity)
        if not created and given.suspended_at is None:
            raise ValidationError(_("%(email)s already holds this role.") % {"email": target.email})
        if not created:
            given.suspended_at = None
            given.save(update_fields=["suspended_at"])
        audit_record(actor=actor, action=AuditAction.GRANT_REASSIGN, target=_grant_target(grant), detail={"user": grant.user.email, "to": target.email})
        grant.delete()
    return given
