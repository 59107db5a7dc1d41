from django import forms
from django.utils.translation import gettext_lazy as _

from cascade.forms import TableUploadForm

from .models import Cycle


class AttendanceUploadForm(TableUploadForm):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), label=_("Cycle"), empty_label=None, to_field_name="year")

    field_order = ["cycle", "file"]
