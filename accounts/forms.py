from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from org.models import django_language


class PreferencesForm(forms.Form):
    mute_reminders = forms.BooleanField(
        label=_("mute non-essential reminders"),
        required=False,
        help_text=_(
            "No weekly digest, no nudge to schedule your session and no December escalation. Reminders of your own sessions and of missing feedback still come."
        ),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the e-mail in the language of the account's person (else the page's)."""

    email = forms.EmailField(label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        person = context["user"].person
        language = django_language(person.language) if person is not None and person.language else translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name)


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
