"""Supervision's API: what its endpoints share: the tags, the references of the output, the
input fields with their refusals in the project's catalogue, and the request's helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.request import Request

from duan8.accounts.models import User
from duan8.api.base import query_int
from duan8.api.errors import BadRequest
from duan8.core.audit import NotVisible
from duan8.orgunits.models import OrgUnit
from duan8.supervision.selectors import supervision_unit_get

TAG = "Giám sát · Supervision"
TAG_FEEDBACK = "Phản biện xã hội · Social feedback"


# --- output ------------------------------------------------------------------------------------


class UnitRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class EventRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()


class GroupRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PaymentListRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()


class ElementRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()


# --- input -------------------------------------------------------------------------------------


def _field_queryset(serializer: serializers.Serializer, name: str, queryset: QuerySet[Any]) -> None:
    field: Any = serializer.fields[name]
    if isinstance(field, serializers.ManyRelatedField):
        field.child_relation.queryset = queryset
    else:
        field.queryset = queryset


# Input fields with their refusals in the project's catalogue (Vietnamese, or English with
# ``Accept-Language: en``): DRF's own Vietnamese catalogue leaves these messages untranslated.
_REQUIRED = {
    "required": gettext_lazy("This field is required."),
    "null": gettext_lazy("This field may not be empty."),
}


class Text(serializers.CharField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a text."),
        "blank": gettext_lazy("This field may not be empty."),
        "max_length": gettext_lazy("Write at most {max_length} characters."),
        "null_characters_not_allowed": gettext_lazy("The text holds a null character."),
    }


class Choice(serializers.ChoiceField):
    default_error_messages = {
        **_REQUIRED,
        "invalid_choice": gettext_lazy("“{input}” is not one of the choices."),
    }


class Day(serializers.DateField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a date as YYYY-MM-DD."),
        "datetime": gettext_lazy("Give a date as YYYY-MM-DD."),
    }


class Number(serializers.IntegerField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a whole number."),
        "max_string_length": gettext_lazy("Give a whole number."),
        "max_value": gettext_lazy("Give a whole number."),
        "min_value": gettext_lazy("Give a whole number."),
    }


class Ref(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        **_REQUIRED,
        "does_not_exist": gettext_lazy("No record {pk_value} that you may choose here."),
        "incorrect_type": gettext_lazy("Give the record's id, a whole number."),
    }


_LIST: dict[str, Any] = {
    "not_a_list": gettext_lazy("Give a list."),
    "empty": gettext_lazy("Give at least one."),
}


class Items(serializers.ListField):
    default_error_messages = {
        **_REQUIRED,
        **_LIST,
        "max_length": gettext_lazy("Give at most {max_length}."),
        "min_length": gettext_lazy("Give at least {min_length}."),
    }


# --- helpers -----------------------------------------------------------------------------------


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _query_bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise BadRequest(name, _("Give true or false."))


def _query_choice(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw not in choices:
        raise BadRequest(
            name, _("Give one of: %(choices)s.") % {"choices": ", ".join(choices)}, "invalid_choice"
        )
    return raw


def _unit_filter(request: Request, user: User) -> OrgUnit | None | bool:
    """The ``org_unit`` filter: the unit (if visible), ``False`` when it is not one the caller
    may read (the list is then empty: nothing is confirmed), ``None`` without a filter."""
    unit_id = query_int(request, "org_unit")
    if unit_id is None:
        return None
    try:
        return supervision_unit_get(actor=user, unit_id=unit_id)
    except NotVisible:
        return False
