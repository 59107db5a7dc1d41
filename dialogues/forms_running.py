"""Forms of facilitator mode."""

from functools import cached_property

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kit.models import Kit
from kit.translations import KitReader

from .models import CaptureKind, Session
from .running import MAX_CAPTURE_LENGTH, MAX_SCENARIOS, MIN_SCENARIOS, kit_scenarios_with_votes


class ScenarioField(forms.ModelMultipleChoiceField):
    reader: KitReader | None = None  # the titles in the leader's language, where translated

    def label_from_instance(self, obj) -> str:
        votes = ngettext("%(count)d vote", "%(count)d votes", obj.vote_count) % {"count": obj.vote_count}
        if self.reader is None:
            return f"{obj.title} ({votes})"
        return format_html("{} ({})", self.reader.text(obj, "title").html, votes)


class ScenarioChoiceForm(forms.Form):
    scenarios = ScenarioField(
        label=_("Scenarios to discuss"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose two, or three if time allows."),
    )

    def __init__(self, *args, kit: Kit, session: Session, reader: KitReader | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = kit_scenarios_with_votes(kit, session)
        self.fields["scenarios"].reader = reader

    @cached_property
    def marker(self) -> str:
        """The note that titles are shown in the kit's original language, if they are."""
        field = self.fields["scenarios"]
        return field.reader.titles(field.queryset) if field.reader else ""

    def clean_scenarios(self):
        chosen = self.cleaned_data["scenarios"]
        if not MIN_SCENARIOS <= len(chosen) <= MAX_SCENARIOS:
            raise forms.ValidationError(_("Choose two or three scenarios."))
        return chosen


CAPTURE_LABELS = {
    CaptureKind.QUESTION: _("A question nobody could answer"),
    CaptureKind.CONTRIBUTION: _("A key contribution"),
}


class CaptureForm(forms.Form):
    kind = forms.ChoiceField(choices=CaptureKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_CAPTURE_LENGTH, strip=True)

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("initial", {})["kind"] = kind
        # Each box has its own ids so that both forms can sit on one page.
        kwargs.setdefault("auto_id", f"id_{kind}_%s")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["text"].label = CAPTURE_LABELS[kind]
        self.fields["text"].error_messages["required"] = _("Write something before saving.")
        self.fields["text"].widget.attrs["aria-describedby"] = "capture-reminder"

    def full_clean(self):
        super().full_clean()
        if "text" in self.errors:
            self.fields["text"].widget.attrs["aria-describedby"] = f"capture-reminder {self.kind}-errors"
