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
