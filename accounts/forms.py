from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    mute_reminders = forms.BooleanField(
        label=_("mute non-essential reminders"),
        required=False,
        help_text=_(
            "No weekly digest, no nudge to schedule your session and no December escalation. Reminders of your own sessions and of missing feedback still come."
        ),
    )


class GrantActionForm(forms.Form):
    """What the Ethics Office does with a suspended grant; `email` names whom a reassigned
    role goes to."""

    action = forms.ChoiceField(choices=[("reinstate", "reinstate"), ("remove", "remove"), ("reassign", "reassign")])
    email = forms.EmailField(label=_("E-mail of the new holder"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reassign" and not cleaned.get("email"):
            self.add_error("email", _("Give the e-mail address of the account that takes the role."))
        return cleaned
