from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import IMPORT_UPLOAD


class FundingFlowImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of funding flows"),
        help_text=format_lazy(
            _("A .csv (UTF-8, comma or semicolon separated) or .xlsx file: {rule}"),
            rule=IMPORT_UPLOAD.help_text,
        ),
        validators=[IMPORT_UPLOAD],
        widget=forms.ClearableFileInput(attrs=IMPORT_UPLOAD.widget_attrs()),
    )
