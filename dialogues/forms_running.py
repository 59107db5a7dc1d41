"""Forms of facilitator mode."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CaptureKind, Kit, Session
from .running import MAX_CAPTURE_LENGTH, MAX_SCENARIOS, MIN_SCENARIOS, kit_scenarios_with_votes


class ScenarioField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        votes = ngettext("%(count)d vote", "%(count)d votes", obj.vote_count) % {"count": obj.vote_count}
        return f"{obj.title} ({votes})"


class ScenarioChoiceForm(forms.Form):
    scenarios = ScenarioField(
        label=_("Scenarios to discuss"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose two, or three if time allows."),
    )

    def __init__(self, *args, kit: Kit, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = kit_scenarios_with_votes(kit, session)

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
