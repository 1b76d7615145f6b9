from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class FundingFlowImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of funding flows"),
        help_text=_("A .csv (UTF-8, comma or semicolon separated) or .xlsx file, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB; split it into several files.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
