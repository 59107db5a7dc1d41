"""Forms of the kit editing pages. They only validate: the views hand `cleaned_data` to the
services in kit_services.py."""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from org.models import Cycle

from .models import AgendaItem, KitPart, Scenario, ScenarioFormat
from .translations import language_choices

ONE_PER_LINE = _("One per line.")


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class KitForm(forms.Form):
    language = forms.ChoiceField(label=_("Original language"), choices=language_choices)
    why_it_matters = forms.CharField(
        label=_("Why it matters"), widget=_area(8), required=False, help_text=_("A few paragraphs; leave a blank line between them.")
    )
    key_lessons = forms.CharField(label=_("Key lessons"), widget=_area(6), required=False, help_text=ONE_PER_LINE)
    ground_rules = forms.CharField(label=_("Ground rules"), widget=_area(6), required=False, help_text=ONE_PER_LINE)
    guidelines = forms.CharField(label=_("Guidelines for the leader"), widget=_area(8), required=False, help_text=_("Shown in the leader's guide only."))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=AgendaItem._meta.get_field("title").max_length)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=180)
    guidance = forms.CharField(label=_("What the leader says and does"), widget=_area(5), required=False, help_text=_("Shown in the leader's guide only."))


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Scenario._meta.get_field("title").max_length)
    format = forms.ChoiceField(label=_("Format"), choices=ScenarioFormat.choices)
    text = forms.CharField(
        label=_("Text"),
        widget=_area(10),
        help_text=_("The story, the script (one line per speaker: “Name: what they say”), or a summary of the video."),
    )
    video_url = forms.URLField(label=_("Video link"), required=False)
    key_messages = forms.CharField(label=_("Key messages"), widget=_area(4), required=False, help_text=_("One per line; shown in the leader's guide only."))
    resources = forms.CharField(label=_("Resources"), widget=_area(3), required=False, help_text=_("One per line; shown in the leader's guide only."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == ScenarioFormat.VIDEO and not cleaned.get("video_url"):
            self.add_error("video_url", _("A video scenario needs the link to its video."))
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=_area(2))
    follow_ups = forms.CharField(label=_("Follow-up questions"), widget=_area(3), required=False, help_text=ONE_PER_LINE)
    important_points = forms.CharField(
        label=_("Important points"), widget=_area(4), required=False, help_text=_("One per line; shown in the leader's guide only.")
    )
    references = forms.CharField(
        label=_("References"),
        widget=_area(3),
        required=False,
        help_text=_("One per line: a regulation, a rule, a paragraph; shown in the leader's guide only."),
    )


# The name of each translatable text on the translation page: the label of its editing form.
def _text_names() -> dict[tuple[str, str], tuple[str, int | None]]:
    kit, agenda, scenario, question = (form.base_fields for form in (KitForm, AgendaItemForm, ScenarioForm, QuestionForm))
    return {
        (KitPart.KIT, "topic"): (_("Topic"), Cycle._meta.get_field("topic").max_length),
        **{(KitPart.KIT, name): (kit[name].label, None) for name in ("why_it_matters", "key_lessons", "ground_rules", "guidelines")},
        (KitPart.AGENDA, "title"): (agenda["title"].label, AgendaItem._meta.get_field("title").max_length),
        (KitPart.AGENDA, "guidance"): (agenda["guidance"].label, None),
        (KitPart.SCENARIO, "title"): (scenario["title"].label, Scenario._meta.get_field("title").max_length),
        **{(KitPart.SCENARIO, name): (scenario[name].label, None) for name in ("text", "key_messages", "resources")},
        **{(KitPart.QUESTION, name): (question[name].label, None) for name in ("text", "follow_ups", "important_points", "references")},
    }


class KitTranslationForm(forms.Form):
    """The translation of every text of a kit into one language: a field per text, named after
    it (`scenario-12-title`), empty where there is no translation; and, for a translation whose
    original changed since, a box to confirm that it still fits."""

    def __init__(self, *args, groups, existing: dict, lang: str, dir: str, **kwargs):
        super().__init__(*args, **kwargs)
        names = _text_names()
        self.groups = []
        for group in groups:
            rows = []
            for source in group.texts:
                label, max_length = names[source.key[0], source.key[2]]
                found = existing.get(source.key)
                stale = found is not None and found.stale
                # Described by the original beside it, the help text and the out-of-date note:
                # set here, since Django then leaves the widget's aria-describedby alone.
                described_by = [f"original-{source.name}"]
                described_by += [f"id_{source.name}_helptext"] if source.leader_only else []
                described_by += [f"stale-{source.name}"] if stale else []
                attrs = {"lang": lang, "dir": dir, "aria-describedby": " ".join(described_by)}
                widget = forms.TextInput(attrs=attrs) if max_length else forms.Textarea(attrs={**attrs, "rows": min(12, 2 + source.original.count("\n"))})
                self.fields[source.name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=max_length,
                    widget=widget,
                    initial=found.text if found else "",
                    help_text=_("Shown in the leader's guide only.") if source.leader_only else "",
                )
                if stale:
                    self.fields[f"{source.name}-current"] = forms.BooleanField(label=_("The translation still fits the changed original"), required=False)
                rows.append((source, self[source.name], self[f"{source.name}-current"] if stale else None))
            self.groups.append((group.title, rows))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            attrs = self.fields[name].widget.attrs if name in self.fields else {}
            if "aria-describedby" in attrs:
                attrs["aria-describedby"] += f" id_{name}_error"

    def translations(self) -> dict:
        """Each text's translation (empty: none), by key."""
        return {source.key: self.cleaned_data[source.name] for _title, rows in self.groups for source, _field, _current in rows}

    def confirmed(self) -> set:
        """The texts whose out-of-date translation was confirmed as still fitting."""
        return {source.key for _title, rows in self.groups for source, _field, current in rows if current is not None and self.cleaned_data[current.name]}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False)
    # Withdrawing a published kit, or publishing with languages incomplete, is confirmed.
    confirm = forms.BooleanField(required=False)


def initial_of(obj, form_class: type[forms.Form]) -> dict:
    """The values of a saved object for the fields of its form."""
    return model_to_dict(obj, fields=list(form_class.base_fields))
