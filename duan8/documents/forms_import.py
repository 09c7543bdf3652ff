"""Forms of the plan import: the upload, and the confirmation that may replace a draft."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duan8.documents.importing.source import EXTENSIONS, max_upload_bytes


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_("The plan as a Word file (.docx) or a text file (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only if the file does not say which year the plan is for."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.content = b""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = max_upload_bytes()
        name = upload.name or ""
        if not any(name.casefold().endswith(extension) for extension in EXTENSIONS):
            raise ValidationError(
                gettext("Only Word files (.docx) and text files (.txt) can be imported.")
            )
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                gettext("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
            )
        self.content = upload.read(limit + 1)
        if len(self.content) > limit:
            raise ValidationError(
                gettext("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
            )
        return upload


class PlanImportConfirmForm(forms.Form):
    replace = forms.BooleanField(
        label=_("Replace the existing draft plan with the imported one"), required=False
    )
