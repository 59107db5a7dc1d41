"""The organization: entities, their units, people and reporting lines.

People are never deleted: an import that no longer lists someone makes them inactive, so their
sessions and attendance stay in the history.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .zones import validate_time_zone


class Category(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    NATIONAL = "national", _("National")
    NON_STAFF = "non-staff", _("Non-staff")


class LocationType(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    AWAY = "away", _("Office away from headquarters")
    FIELD = "field", _("Field mission")


class Language(models.TextChoices):
    AR = "ar", "العربية"
    ZH = "zh", "中文"
    EN = "en", "English"
    FR = "fr", "Français"
    RU = "ru", "Русский"
    ES = "es", "Español"


def django_language(code: str) -> str:
    """Django's language code for the organization file's: `zh` is Django's `zh-hans`."""
    return "zh-hans" if code == Language.ZH else code


class Entity(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The zone of the entity's people whose duty station the Ethics Office has not placed.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone], help_text=_("An IANA name, e.g. Africa/Nairobi."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}" if self.name else self.code


class Unit(models.Model):
    """A unit inside an entity, named by its full path: `Division 1 > Section 2`."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="units")
    path = models.CharField(_("path"), max_length=500)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        ordering = ["entity__code", "path"]
        constraints = [models.UniqueConstraint(fields=["entity", "path"], name="unit_unique_path")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return self.path.rsplit(" > ", 1)[-1]


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Person(models.Model):
    # The manager link uses the index number, which is the import's identity key: a whole
    # organization can then be written in one bulk insert without a second pass for managers.
    index_number = models.CharField(_("index number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254, db_index=True)
    manager = models.ForeignKey(
        "self",
        to_field="index_number",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
        verbose_name=_("manager"),
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="people", verbose_name=_("entity"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category, blank=True)
    location_type = models.CharField(_("location type"), max_length=20, choices=LocationType, blank=True)
    duty_station = models.CharField(_("duty station"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language, blank=True)
    # The organization file's `time_zone`; empty: the duty station's zone, else the entity's.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    active = models.BooleanField(_("active"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["index_number"]
        indexes = [models.Index(fields=["entity", "unit"], name="person_entity_unit")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} ({self.index_number})"


class DutyStation(models.Model):
    """A duty station and its time zone, kept by the Ethics Office: people whose organization-file
    row gives no time zone live in their duty station's. Names match without regard to case."""

    name = models.CharField(_("name"), max_length=100, help_text=_("As written in the organization file's duty_station column."))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone], help_text=_("An IANA name, e.g. Africa/Nairobi."))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="duty_station_unique_name")]
        verbose_name = _("duty station")
        verbose_name_plural = _("duty stations")

    def __str__(self) -> str:
        return f"{self.name} ({self.time_zone})"


class CycleQuerySet(models.QuerySet):
    def current(self) -> "Cycle | None":
        """The cycle people work in now: the latest one, by year (None before the first)."""
        return self.order_by("-year").first()


class Cycle(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    topic = models.CharField(_("topic"), max_length=300)
    opens = models.DateField(_("opens"))
    deadline = models.DateField(_("deadline"))

    objects = CycleQuerySet.as_manager()

    class Meta:
        db_table = "dialogues_cycle"  # the table it had in dialogues (issue 12 moved the model, not the data)
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lte=models.F("deadline")), name="cycle_opens_before_deadline")
        ]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return f"{self.year} — {self.topic}"

    def contains(self, day) -> bool:
        return self.opens <= day <= self.deadline
