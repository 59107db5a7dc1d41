from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from org.models import Cycle

from .models import CertificationStatement

STATEMENT_MAX = 4000


class CertificationStatementForm(forms.Form):
    """One text per interface language; empty means Cascade's own wording in that language."""

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(CertificationStatement.objects.filter(cycle=cycle).values_list("language", "text"))
        for code, name in settings.LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=name, required=False, max_length=STATEMENT_MAX, initial=current.get(code, ""), widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"})
            )
        self.fields["text_en"].help_text = _("Used for every language left empty, if set.")

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"text_{code}"] for code, _name in settings.LANGUAGES}
