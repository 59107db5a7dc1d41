"""Accounts log in by e-mail; roles are derived from the organization or granted."""


from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        # E-mail addresses are stored in lower case; people type them as they like.
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    person = models.OneToOneField(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user", verbose_name=_("person")
    )
    # Digests, nudges and escalations can be muted; session reminders and missing-feedback
    # reminders are always sent.
    mute_reminders = models.BooleanField(
        _("mute non-essential reminders"),
        default=False,
        help_text=_("No weekly digest, no nudge to schedule your session and no December escalation. Reminders of your own sessions and of missing feedback still come."),
    )
    # Raised when the account is closed: every login session of the account ends at once
    # (its hash no longer matches), without looking for the session rows, and stays ended if
    # the account is opened again.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret=None):
        # Both get_session_auth_hash() and its SECRET_KEY_FALLBACKS variant come through here.
        base = super()._get_session_auth_hash(secret=secret)
        if not self.session_generation:
            return base  # sessions opened before any closing stay valid
        return salted_hmac("accounts.User.session_generation", f"{base}:{self.session_generation}", secret=secret, algorithm="sha256").hexdigest()


class Role(models.TextChoices):
    ETHICS_OFFICE = "ethics_office", _("Ethics Office")
    FOCAL_POINT = "focal_point", _("Focal point")
    HEAD_OF_ENTITY = "head_of_entity", _("Head of entity")
    ORG_ADMIN = "org_admin", _("Organization administrator")


# Roles held for the whole organization, granted without an entity.
CENTRAL_ROLES = (Role.ETHICS_OFFICE, Role.ORG_ADMIN)


class RoleGrantQuerySet(models.QuerySet):
    def in_force(self):
        """Grants that give their role: not suspended."""
        return self.filter(suspended_at__isnull=True)

    def suspended(self):
        return self.filter(suspended_at__isnull=False)


class RoleGrant(models.Model):
    """A role the organization file cannot tell: Ethics Office staff, the organization
    administrator, an entity's focal point, or a head of entity named explicitly (heads are
    also derived from the reporting lines).

    A grant is suspended when its holder leaves the organization: it gives no role until the
    Ethics Office reinstates it or gives it to someone else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    entity = models.ForeignKey("org.Entity", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("entity"))
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True, help_text=_("Set when the holder left the organization: the grant gives no role."))

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "entity"], name="grant_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["ethics_office", "org_admin"], entity__isnull=True)
                | (~models.Q(role__in=["ethics_office", "org_admin"]) & models.Q(entity__isnull=False)),
                name="grant_entity_matches_role",
            ),
        ]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}" + (f" ({self.entity.code})" if self.entity_id else "")
