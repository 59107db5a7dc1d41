"""The upload form shared by the import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .tabular import Limits


class TableUploadForm(forms.Form):
    """One file, refused by its size before it is read when larger than its purpose allows."""

    file = forms.FileField(label=_("File (CSV or XLSX)"), help_text=_("The first row holds the column names."))

    def __init__(self, *args, limits: Limits, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # An OversizeUpload (cascade.uploads) holds none of its bytes, only its size.
        if upload.size > self.limits.bytes or getattr(upload, "oversize", False):
            raise forms.ValidationError(self.limits.refusal(self.limits.too_large()))
        return upload.read()


class ConfirmForm(forms.Form):
    staged = forms.IntegerField(widget=forms.HiddenInput)
