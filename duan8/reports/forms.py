"""Forms of the report pages. They only parse input; the services validate and decide."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.reports.models import ReportSchedule

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _text(label: StrOrPromise, help_text: StrOrPromise = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VersionForm(forms.Form):
    """The report version the page was loaded with (a save on a stale copy is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportForm(VersionForm):
    results = _text(
        _("Results"),
        _("What was carried out in the period, and how. The figures come from the records."),
        rows=10,
    )
    difficulties = _text(_("Difficulties"), _("What hindered the work."))
    proposals = _text(_("Proposals"), _("What the commune asks of the level above."))

    field_order = ["results", "difficulties", "proposals", "version"]


class ReturnForm(VersionForm):
    comment = _text(_("Comment"), _("What must be corrected; the commune sees it."), rows=4)


class ApproveForm(VersionForm):
    comment = _text(_("Comment (optional)"), rows=2)


class UnlockForm(VersionForm):
    reason = _text(
        _("Reason"),
        _("Why the records must be corrected; the report goes back to the commune."),
        rows=3,
    )


class ScheduleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportSchedule) -> str:
        return obj.name


class RequestForm(forms.Form):
    schedule = ScheduleChoiceField(
        label=_("Report"),
        queryset=ReportSchedule.objects.filter(kind__in=ReportSchedule.ON_REQUEST),
        empty_label=None,
    )
    due_on = forms.DateField(
        label=_("Due date"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    period_start = forms.DateField(
        label=_("Period from"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    period_end = forms.DateField(
        label=_("Period until"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    note = _text(_("What the report must cover"), rows=4)

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Only the rules in force ``today`` are offered (a request is due in the future)."""
        super().__init__(*args, **kwargs)
        field = self.fields["schedule"]
        assert isinstance(field, ScheduleChoiceField) and field.queryset is not None
        field.queryset = field.queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
