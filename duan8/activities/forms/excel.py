"""The upload form of a filled-in template: one file, checked for its size and its first bytes
before anything reads it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from duan8.activities.excel.workbook import upload_check


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        help_text=_(
            "The template downloaded above, filled in; Excel or LibreOffice, saved as .xlsx."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        head = upload.read(8)
        upload.seek(0)
        try:
            upload_check(name=upload.name or "", size=upload.size or 0, head=head)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload
