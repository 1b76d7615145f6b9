from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import IMPORT_UPLOAD, DateFormat, NumberFormat


class FundingFlowImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of funding flows"),
        help_text=format_lazy(
            _(
                "A .csv (UTF-8 or Windows, comma or semicolon separated), .xlsx or IATI activity .xml file: {rule}"
            ),
            rule=IMPORT_UPLOAD.help_text,
        ),
        validators=[IMPORT_UPLOAD],
        widget=forms.ClearableFileInput(attrs=IMPORT_UPLOAD.widget_attrs()),
    )
    # Asked, never guessed: a value the chosen format does not read plainly is a row error.
    number_format = forms.ChoiceField(
        label=_("How the file writes numbers"),
        choices=NumberFormat.choices,
        initial=NumberFormat.DOT,
        widget=forms.RadioSelect,
        help_text=_(
            "Thousands separator and decimal mark of amounts written as text (“1 234,50” may use a no-break space). Number cells of a workbook and IATI files need none."
        ),
    )
    date_format = forms.ChoiceField(
        label=_("How the file writes dates"),
        choices=DateFormat.choices,
        initial=DateFormat.YMD,
        widget=forms.RadioSelect,
        help_text=_(
            "For dates written as text. Date cells of a workbook and IATI files need none."
        ),
    )
