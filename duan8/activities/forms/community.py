"""Forms of community groups, women cadres and difficulties. They only read input: the services
in ``activities.services`` validate and write, and their problems, keyed by field, are put
beside their field (``core.problems.on_form``)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    Sex,
    WomanCadre,
)
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.activities.services.difficulties import (
    difficulty_answer,
    difficulty_escalate,
    difficulty_raise,
)
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_update,
)
from duan8.activities.services.members import MemberInput
from duan8.activities.services.shared import NOTES_MAX, TEXT_MAX
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.full_name


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"{obj.reference} ({obj.year})"


class EthnicGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EthnicGroup) -> str:
        return f"{obj.code} {obj.name}"


def _date(label: Any, *, required: bool = True, today: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")},
    )


def _units_field(units: list[OrgUnit], label: Any) -> UnitChoiceField:
    field = UnitChoiceField(
        label=label,
        queryset=OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path"),
        empty_label=None,
    )
    if len(units) == 1:
        field.initial = units[0].pk
    return field


def _plans_field(plans: QuerySet[Plan]) -> PlanChoiceField:
    return PlanChoiceField(
        label=_("Plan"), queryset=plans, required=False, empty_label=_("(no plan)")
    )


def _ethnic_field(required: bool) -> EthnicGroupChoiceField:
    return EthnicGroupChoiceField(
        label=_("Ethnicity"),
        queryset=EthnicGroup.objects.order_by("code"),
        required=required,
        empty_label="—",
    )


# --- community groups ------------------------------------------------------------------------


class GroupForm(OnceForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CommunityGroup.Kind.choices,
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of group.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        help_text=_("e.g. Tổ truyền thông cộng đồng thôn Nước Đang"),
    )
    org_unit = UnitChoiceField(label=_("Village or commune"), queryset=OrgUnit.objects.none())
    school = forms.CharField(
        label=_("School"),
        max_length=255,
        required=False,
        help_text=_("For a club held at a school"),
    )
    founded_on = _date(_("Date founded"))
    plan = PlanChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    women_leadership = forms.ChoiceField(
        label=_("Women's leadership"),
        choices=CommunityGroup.WomenLeadership.choices,
        required=False,
        help_text=_("For livelihood groups and cooperatives"),
    )
    channel = forms.ChoiceField(
        label=_("Digital channel"), choices=CommunityGroup.Channel.choices, required=False
    )
    channel_address = forms.CharField(
        label=_("Channel address or name"), max_length=255, required=False
    )
    equipment = forms.CharField(
        label=_("Equipment received"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX}),
        help_text=_("One per line, e.g. 01 loa kéo"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTES_MAX}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        plans: QuerySet[Plan],
        group: CommunityGroup | None = None,
        **kwargs: Any,
    ) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": group.kind,
                "name": group.name,
                "org_unit": group.org_unit_id,
                "school": group.school,
                "founded_on": group.founded_on,
                "plan": group.plan_id,
                "women_leadership": group.women_leadership,
                "channel": group.channel,
                "channel_address": group.channel_address,
                "equipment": group.equipment,
                "notes": group.notes,
                "version": group.version,
            }
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["org_unit"] = _units_field(units, _("Village or commune"))
        self.fields["plan"] = _plans_field(plans)
        if group is None:
            del self.fields["version"]
            self.fields["founded_on"].initial = timezone.localdate
        else:
            del self.fields["once"]

    def group_input(self) -> GroupInput:
        data = self.cleaned_data
        return GroupInput(
            kind=data["kind"],
            name=data["name"],
            org_unit=data["org_unit"],
            founded_on=data["founded_on"],
            plan=data["plan"],
            school=data["school"],
            women_leadership=data["women_leadership"],
            channel=data["channel"],
            channel_address=data["channel_address"],
            equipment=data["equipment"],
            notes=data["notes"],
        )

    def save(self, *, actor: User) -> CommunityGroup | None:
        try:
            if self.group is None:
                return community_group_create(actor=actor, data=self.group_input())
            return community_group_update(
                actor=actor,
                group=self.group,
                data=self.group_input(),
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class GroupStatusForm(OnceForm):
    status = forms.ChoiceField(label=_("Status"), choices=CommunityGroupStatus.Status.choices)
    on = _date(_("From"), today=True)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class MemberForm(forms.Form):
    """One person of a group; a row left empty is skipped."""

    full_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    ethnic_group = _ethnic_field(required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=CommunityGroupMember.Role.choices,
        initial=CommunityGroupMember.Role.MEMBER,
        required=False,
    )
    joined_on = _date(_("Joined on"), required=False, today=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) for name in ("full_name", "sex", "ethnic_group", "birth_year")
        )

    def member_input(self) -> MemberInput | None:
        data = self.cleaned_data
        if not data.get("joined_on"):
            self.add_error("joined_on", gettext("This field is required."))
            return None
        return MemberInput(
            full_name=data.get("full_name") or "",
            sex=data.get("sex") or "",
            ethnic_group=data.get("ethnic_group"),
            joined_on=data["joined_on"],
            birth_year=data.get("birth_year"),
            role=data.get("role") or CommunityGroupMember.Role.MEMBER,
        )


MemberFormSet = forms.formset_factory(MemberForm, extra=5, max_num=200, validate_max=True)


class MemberLeaveForm(forms.Form):
    left_on = _date(_("Left on"), today=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- women cadres ----------------------------------------------------------------------------


class CadreForm(OnceForm):
    org_unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    ethnic_group = _ethnic_field(required=True)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=255,
        help_text=_("e.g. Phó Chủ tịch Hội LHPN xã"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=WomanCadre.Status.choices)
    since = _date(_("From"), today=True)
    until = _date(_("Until"), required=False)
    plan = PlanChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTES_MAX}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        plans: QuerySet[Plan],
        cadre: WomanCadre | None = None,
        **kwargs: Any,
    ) -> None:
        if cadre is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "org_unit": cadre.org_unit_id,
                "full_name": cadre.full_name,
                "ethnic_group": cadre.ethnic_group_id,
                "birth_year": cadre.birth_year,
                "position": cadre.position,
                "status": cadre.status,
                "since": cadre.since,
                "until": cadre.until,
                "plan": cadre.plan_id,
                "notes": cadre.notes,
                "version": cadre.version,
            }
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        self.fields["org_unit"] = _units_field(units, _("Unit"))
        self.fields["plan"] = _plans_field(plans)
        if cadre is None:
            del self.fields["version"]
        else:
            del self.fields["once"]

    def save(self, *, actor: User) -> WomanCadre | None:
        data = self.cleaned_data
        try:
            return woman_cadre_save(
                actor=actor,
                cadre=self.cadre,
                expected_version=data.get("version"),
                data=CadreInput(
                    org_unit=data["org_unit"],
                    full_name=data["full_name"],
                    ethnic_group=data["ethnic_group"],
                    position=data["position"],
                    status=data["status"],
                    since=data["since"],
                    until=data["until"],
                    birth_year=data["birth_year"],
                    plan=data["plan"],
                    notes=data["notes"],
                ),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


# --- difficulties ----------------------------------------------------------------------------


class DifficultyForm(OnceForm):
    org_unit = UnitChoiceField(label=_("Raised in"), queryset=OrgUnit.objects.none())
    raised_by = forms.CharField(
        label=_("Raised by"),
        max_length=255,
        help_text=_("The village or agency, e.g. Thôn Nước Đang, Trường TH&THCS Ba Trang"),
    )
    raised_on = _date(_("Raised on"), today=True)
    description = forms.CharField(
        label=_("Difficulty"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX})
    )
    plan = PlanChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)

    def __init__(
        self, *args: Any, units: list[OrgUnit], plans: QuerySet[Plan], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = _units_field(units, _("Raised in"))
        self.fields["plan"] = _plans_field(plans)
        if len(units) == 1 and units[0].level == OrgUnit.Level.VILLAGE:
            self.fields["raised_by"].initial = units[0].full_name

    def save(self, *, actor: User) -> Difficulty | None:
        data = self.cleaned_data
        try:
            return difficulty_raise(
                actor=actor,
                org_unit=data["org_unit"],
                raised_by=data["raised_by"],
                raised_on=data["raised_on"],
                description=data["description"],
                plan=data["plan"],
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class EscalateForm(forms.Form):
    on = _date(_("Escalated on"), today=True)
    to = forms.CharField(
        label=_("Escalated to"),
        max_length=255,
        required=False,
        help_text=_("Empty: the People's Committee of the commune"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def save(self, *, actor: User, difficulty: Difficulty) -> Difficulty | None:
        try:
            return difficulty_escalate(
                actor=actor,
                difficulty=difficulty,
                on=self.cleaned_data["on"],
                to=self.cleaned_data["to"],
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX})
    )
    answered_by = forms.CharField(
        label=_("Answered by"),
        max_length=255,
        help_text=_("Name and position, e.g. Đinh Thị Hoa, Chủ tịch Hội LHPN xã"),
    )
    on = _date(_("Answered on"), today=True)
    resolved = forms.BooleanField(label=_("The difficulty is resolved"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def save(self, *, actor: User, difficulty: Difficulty) -> Difficulty | None:
        data = self.cleaned_data
        try:
            return difficulty_answer(
                actor=actor,
                difficulty=difficulty,
                answer=data["answer"],
                answered_by=data["answered_by"],
                on=data["on"],
                resolved=data["resolved"],
                expected_version=data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None
