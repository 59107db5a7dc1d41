"""Forms of the kit editing pages. They only validate: the views hand `cleaned_data` to the
services in kit_services.py."""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from org.models import Language

from .models import AgendaItem, Scenario, ScenarioFormat

ONE_PER_LINE = _("One per line.")


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class KitForm(forms.Form):
    language = forms.ChoiceField(label=_("Original language"), choices=Language.choices)
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


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False)


def initial_of(obj, form_class: type[forms.Form]) -> dict:
    """The values of a saved object for the fields of its form."""
    return model_to_dict(obj, fields=list(form_class.base_fields))
