"""Forms of the supervision pages. Each hands its data to the service and puts the service's
problems beside its fields; the choices offered are only records the actor may read."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, Event
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.mothers.models import PaymentList
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from duan8.supervision.follow_up import (
    recommendation_answer,
    recommendation_create,
    recommendation_review,
)
from duan8.supervision.models import Finding, Recommendation, Session
from duan8.supervision.selectors import (
    addressee_units,
    evidence_events,
    evidence_groups,
    evidence_payment_lists,
)
from duan8.supervision.services import (
    FindingInput,
    SessionInput,
    finding_create,
    finding_update,
    session_create,
    session_update,
)

DATE_ERROR = {"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")}


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages=DATE_ERROR,
    )


class SessionForm(OnceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.ChoiceField(label=_("Supervised by"), choices=Session.Body.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    subject = forms.ChoiceField(label=_("What is supervised"), choices=Session.Subject.choices)
    activity = forms.ModelChoiceField(
        label=_("Plan activity"), queryset=ProgramElement.objects.none(), required=False
    )
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)
    payment_list = forms.ModelChoiceField(
        label=_("Payment list"), queryset=PaymentList.objects.none(), required=False
    )
    policy = forms.CharField(
        label=_("Policy or content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    starts_on = _date(_("From"))
    ends_on = _date(_("To"), required=False)
    members = forms.CharField(
        label=_("Members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person per line: name and position"),
        max_length=4000,
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=Session.Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, actor: User, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.unit = actor, unit
        fields: dict[str, Any] = self.fields
        fields["activity"].queryset = ProgramElement.objects.filter(
            kind=ProgramElement.Kind.ACTIVITY
        ).order_by("code")
        fields["event"].queryset = evidence_events(actor=actor, unit=unit)
        fields["payment_list"].queryset = evidence_payment_lists(actor=actor, unit=unit)

    @classmethod
    def initial_of(cls, session: Session) -> dict[str, Any]:
        return {
            "version": session.version,
            "body": session.body,
            "title": session.title,
            "subject": session.subject,
            "activity": session.activity_id,
            "event": session.event_id,
            "payment_list": session.payment_list_id,
            "policy": session.policy,
            "starts_on": session.starts_on,
            "ends_on": session.ends_on,
            "members": session.members,
            "methods": session.methods,
        }

    def _input(self) -> SessionInput:
        d = self.cleaned_data
        return SessionInput(
            body=d["body"],
            title=d["title"],
            subject=d["subject"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            activity=d["activity"],
            event=d["event"],
            payment_list=d["payment_list"],
            policy=d["policy"],
            members=d["members"].splitlines(),
            methods=d["methods"],
        )

    def save(self, *, session: Session | None = None) -> Session | None:
        try:
            if session is None:
                return session_create(actor=self.actor, unit=self.unit, data=self._input())
            return session_update(
                actor=self.actor,
                session=session,
                data=self._input(),
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label=_("Minutes (PDF, Word or photo)"))


class FindingForm(OnceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=Finding.Topic.choices)
    text = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Events concerned"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups concerned"),
        queryset=CommunityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    payment_lists = forms.ModelMultipleChoiceField(
        label=_("Payment lists concerned"),
        queryset=PaymentList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, actor: User, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.session = actor, session
        unit = session.org_unit
        fields: dict[str, Any] = self.fields
        fields["events"].queryset = evidence_events(actor=actor, unit=unit)
        fields["groups"].queryset = evidence_groups(actor=actor, unit=unit)
        fields["payment_lists"].queryset = evidence_payment_lists(actor=actor, unit=unit)

    def save(self, *, finding: Finding | None = None) -> Finding | None:
        d = self.cleaned_data
        data = FindingInput(
            topic=d["topic"],
            text=d["text"],
            events=list(d["events"]),
            groups=list(d["groups"]),
            payment_lists=list(d["payment_lists"]),
        )
        try:
            if finding is None:
                return finding_create(actor=self.actor, session=self.session, data=data)
            return finding_update(
                actor=self.actor, finding=finding, data=data, expected_version=d.get("version")
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class RecommendationForm(OnceForm):
    finding = forms.ModelChoiceField(
        label=_("Finding"), queryset=Finding.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    addressee = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none(), required=False
    )
    addressee_body = forms.CharField(
        label=_("Responsible body"),
        max_length=255,
        required=False,
        help_text=_("e.g. UBND xã, Hội LHPN xã"),
    )
    due_on = _date(_("Deadline for the answer"), required=False)

    def __init__(self, *args: Any, actor: User, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.session = actor, session
        fields: dict[str, Any] = self.fields
        fields["finding"].queryset = session.findings.all()
        fields["addressee"].queryset = addressee_units(actor=actor, unit=session.org_unit)

    def save(self) -> Recommendation | None:
        d = self.cleaned_data
        try:
            return recommendation_create(
                actor=self.actor,
                session=self.session,
                finding=d["finding"],
                text=d["text"],
                addressee=d["addressee"],
                addressee_body=d["addressee_body"],
                due_on=d["due_on"],
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def save(self, *, actor: User, recommendation: Recommendation) -> Recommendation | None:
        try:
            return recommendation_answer(
                actor=actor,
                recommendation=recommendation,
                answer=self.cleaned_data["answer"],
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the answer")), ("keep_open", _("Keep it open"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def save(self, *, actor: User, recommendation: Recommendation) -> Recommendation | None:
        try:
            return recommendation_review(
                actor=actor,
                recommendation=recommendation,
                accept=self.cleaned_data["decision"] == "accept",
                note=self.cleaned_data["note"],
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None
