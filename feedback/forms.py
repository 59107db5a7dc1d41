"""Forms of leader feedback (Appendix C) and of the Ethics Office's questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.forms import KitScenarioField
from kit.models import Scenario
from kit.translations import KitReader
from org.models import Cycle, Entity

from .models import QuestionStatus, Rating
from .services import MAX_QUESTION_LENGTH, question_lines

TEXT_LIMIT = 5000
RATING_MESSAGE = _("Choose a rating from 1 (poor) to 5 (excellent).")


def _rating(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": RATING_MESSAGE},
    )


def _text(label: str, *, required: bool = False, message: str = "", help_text: str = "") -> forms.CharField:
    field = forms.CharField(label=label, required=required, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text)
    if message:
        field.error_messages["required"] = message
    return field


class LeaderFeedbackForm(forms.Form):
    """Appendix C. Date, leader, entity and unit come from the session and are shown, not asked."""

    participants = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        help_text=_("From the sign-in sheet; correct it if some people signed a paper sheet not yet recorded."),
        error_messages={"required": _("Give the number of participants."), "min_value": _("The number of participants cannot be negative.")},
    )
    unit_personnel = forms.IntegerField(
        label=_("Total personnel in the unit"),
        min_value=0,
        help_text=_("From the organization file."),
        error_messages={"required": _("Give the total personnel of the unit."), "min_value": _("The total personnel cannot be negative.")},
    )
    guide_rating = _rating(_("How would you rate the quality and ease of use of the leader's guide?"), _("Rate the guide from 1 to 5."))
    scenarios_used = KitScenarioField(
        label=_("Scenarios used"),
        queryset=Scenario.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the scenarios you discussed.")},
    )
    topics_rating = _rating(_("How would you rate the topics?"), _("Rate the topics from 1 to 5."))
    went_well = _text(_("What went well?"), required=True, message=_("Tell us what went well."))
    went_badly = _text(_("What did not go well?"), required=True, message=_("Tell us what did not go well, or write “nothing”."))
    unanswered_questions = _text(
        _("Questions that could not be answered"),
        help_text=_("One per line, without names. Each goes to the Ethics Office, which answers you by e-mail."),
    )
    recommended_changes = _text(_("Recommended changes"))
    recommended_topics = _text(_("Recommended topics for next year"))
    key_contributions = _text(_("Key contributions"), help_text=_("One per line. Write the idea, never who said it."))

    def __init__(self, *args, scenarios, reader: KitReader | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["scenarios_used"]
        field.queryset = scenarios
        # Without a published kit there is nothing to tick.
        field.required = scenarios.exists()
        if reader is not None:  # the titles in the leader's language where the kit is translated
            field.reader = reader
            field.help_text = reader.titles(scenarios)

    def clean_unanswered_questions(self):
        text = self.cleaned_data["unanswered_questions"]
        if any(len(line) > MAX_QUESTION_LENGTH for line in question_lines(text)):
            raise forms.ValidationError(_("Keep each question under %(limit)d characters.") % {"limit": MAX_QUESTION_LENGTH})
        return text


class QuestionForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, required=False, empty_label=_("Nobody yet"))
    status = forms.ChoiceField(label=_("Status"), choices=QuestionStatus.choices)
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The leader receives it by e-mail when the question is marked answered; publishing shows it on the frequently asked questions."),
    )

    def __init__(self, *args, staff, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff

    def clean(self):
        data = super().clean()
        if data.get("status") in (QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED) and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer before marking the question answered or published."))
        return data


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Your question about the materials"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Before your session: a scenario, a rule or a word in the guide you are unsure of. Do not name anyone."),
    )


class QueueFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.all(), to_field_name="year", required=False, empty_label=None)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *QuestionStatus.choices], required=False)
    entity = forms.ModelChoiceField(label=_("Entity"), queryset=Entity.objects.all(), to_field_name="code", required=False, empty_label=_("Any entity"))


class FacilitatorAssessmentForm(forms.Form):
    """Appendix F: five ratings, an optional comment, an optional topic for next year."""

    preparation = _rating(_("The facilitator was well prepared."), _("Rate the preparation from 1 to 5."))
    inclusion = _rating(_("The facilitator drew in quieter colleagues."), _("Rate the inclusion of quieter colleagues from 1 to 5."))
    safety = _rating(_("People felt safe to speak."), _("Rate how safe people felt to speak from 1 to 5."))
    time_use = _rating(_("The time was well used."), _("Rate the use of time from 1 to 5."))
    overall = _rating(_("Overall, how would you rate the facilitator?"), _("Give an overall rating from 1 to 5."))
    comment = _text(
        _("Comment for the facilitator"),
        help_text=_("Optional. The facilitator sees comments only together with those of many other people. Do not write your name or anyone else's."),
    )
    topic_suggestion = forms.CharField(label=_("A topic you would like next year"), required=False, max_length=300, help_text=_("Optional."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class InsightFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.all(), to_field_name="year", required=False, empty_label=None)
