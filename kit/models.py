"""The dialogue kit of a cycle: what the Ethics Office writes for every session (agenda,
scenarios, discussion questions) and its translations. Its tables keep the names they had in
dialogues (issue 12 moved the models, not the data)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Cycle, Language


class Kit(models.Model):
    """The dialogue kit of a cycle, written by the Ethics Office."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="kit")
    language = models.CharField(_("original language"), max_length=2, choices=Language, default=Language.EN)
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    key_lessons = models.TextField(_("key lessons"), blank=True, help_text=_("One per line."))
    ground_rules = models.TextField(_("ground rules"), blank=True, help_text=_("One per line."))
    guidelines = models.TextField(_("guidelines for the leader"), blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        db_table = "dialogues_kit"

    def __str__(self) -> str:
        return str(self.cycle)


class AgendaItem(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    guidance = models.TextField(_("what to say and do"), blank=True)

    class Meta:
        db_table = "dialogues_agendaitem"
        ordering = ["order"]


class ScenarioFormat(models.TextChoices):
    WRITTEN = "written", _("Written")
    SCRIPT = "script", _("Script with roles")
    VIDEO = "video", _("Video")


class Scenario(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="scenarios")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=ScenarioFormat, default=ScenarioFormat.WRITTEN)
    text = models.TextField(_("text"))
    video_url = models.URLField(_("video link"), blank=True)
    key_messages = models.TextField(_("key messages"), blank=True, help_text=_("One per line."))
    resources = models.TextField(_("resources"), blank=True, help_text=_("One per line."))

    class Meta:
        db_table = "dialogues_scenario"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class DiscussionQuestion(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("question"))
    follow_ups = models.TextField(_("follow-up questions"), blank=True, help_text=_("One per line."))
    important_points = models.TextField(_("important points"), blank=True, help_text=_("One per line; for the leader only."))
    references = models.TextField(_("references"), blank=True, help_text=_("One per line: a regulation, a rule, a paragraph."))

    class Meta:
        db_table = "dialogues_discussionquestion"
        ordering = ["order"]


class KitPart(models.TextChoices):
    KIT = "kit", _("Kit")
    AGENDA = "agenda", _("Agenda item")
    SCENARIO = "scenario", _("Scenario")
    QUESTION = "question", _("Discussion question")


class KitTranslation(models.Model):
    """One text of the kit in a language other than the kit's original: `part` and `object_id`
    name the kit, agenda item, scenario or discussion question it belongs to, `field` the text.
    One generic table rather than one per part, so that a kit's translation into a language
    loads in one query and a new translatable field needs no migration."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=Language)
    part = models.CharField(max_length=10, choices=KitPart)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=30)
    text = models.TextField(_("translation"))
    # A digest of the original the translation was written for: when the original changes,
    # the translation is flagged as possibly out of date until someone edits or confirms it.
    source_digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "dialogues_kittranslation"
        constraints = [models.UniqueConstraint(fields=["kit", "language", "part", "object_id", "field"], name="kit_translation_once_per_text")]
        verbose_name = _("kit translation")
        verbose_name_plural = _("kit translations")

    def __str__(self) -> str:
        return f"{self.language} {self.part} {self.object_id} {self.field}"
