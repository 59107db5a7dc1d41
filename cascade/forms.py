"""The upload form shared by the import pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TableUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), help_text=_("The first row holds the column names."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CASCADE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the %(mb)d MB allowed.") % {"mb": settings.CASCADE_IMPORT_MAX_BYTES // 2**20})
        return upload.read()


class ConfirmForm(forms.Form):
    staged = forms.IntegerField(widget=forms.HiddenInput)
