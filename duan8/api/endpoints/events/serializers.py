"""The events endpoints' serializers: an event and its participant counts as answered, the named
participants, the input of a new or changed event, and the counts of a page of events in one
query."""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duan8.activities.models import AgeGroup, Event, ParticipantCount, Sex
from duan8.api.schema import doc

MAX_COUNT = 100_000
MAX_PEOPLE = 2_000

# --- output ------------------------------------------------------------------------------------


class CountOut(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices, help_text=doc("F: nữ, M: nam.", "Sex."))
    minority = serializers.BooleanField(
        help_text=doc("Người dân tộc thiểu số.", "Ethnic minority.")
    )
    age_group = serializers.ChoiceField(
        choices=AgeGroup.choices,
        help_text=doc("adult: người lớn; child: dưới 16 tuổi.", "Adult, or child under 16."),
    )
    count = serializers.IntegerField(min_value=0)


class FieldsBuiltOnce:
    """A ModelSerializer whose fields are built from the model once per class, then copied for
    each serializer (as DRF copies declared fields): building them (the model's fields looked up
    and mapped) was nearly all of an event's answer, about 1 ms a request. The copies are fresh
    and unbound, each bound to its own serializer."""

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built = built  # type: ignore[attr-defined]
        return copy.deepcopy(built)


class EventOut(FieldsBuiltOnce, serializers.ModelSerializer):
    # The kinds as text (their enum is named in the input, EventInKindEnum, only once).
    kind = serializers.CharField(help_text=doc("Loại sự kiện.", "The kind of event."))
    activity_code = serializers.CharField(source="activity.code")
    org_unit_name = serializers.CharField(source="org_unit.full_name")
    cost = serializers.IntegerField(help_text=doc("Kinh phí (đồng).", "Cost in đồng."))
    counts = serializers.SerializerMethodField(
        help_text=doc("Số người tham gia theo ô.", "Participants by cell.")
    )
    participants_total = serializers.IntegerField()
    women_total = serializers.IntegerField()

    class Meta:
        model = Event
        fields = [
            "id",
            "plan",
            "activity",
            "activity_code",
            "kind",
            "title",
            "held_on",
            "ended_on",
            "org_unit",
            "org_unit_name",
            "place",
            "organiser",
            "group",
            "cost",
            "notes",
            "counts",
            "participants_total",
            "women_total",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(CountOut(many=True))
    def get_counts(self, event: Event) -> list[dict[str, Any]]:
        cells: list[dict[str, Any]] = getattr(event, "count_cells", [])
        return cells


class EventDetailOut(EventOut):
    has_participant_list = serializers.BooleanField(
        help_text=doc(
            "Có danh sách người tham gia (xem /participants/).",
            "The event has a named list (see /participants/).",
        )
    )

    class Meta(EventOut.Meta):
        fields = [*EventOut.Meta.fields, "has_participant_list"]


class ParticipantOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    sex = serializers.CharField()
    ethnic_group = serializers.CharField(source="ethnic_group.code", allow_null=True)
    ethnic_group_name = serializers.CharField(source="ethnic_group.name", allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    position = serializers.CharField()
    workplace = serializers.CharField()


class ParticipantListOut(serializers.Serializer):
    event = serializers.IntegerField()
    results = ParticipantOut(many=True)


# --- input -------------------------------------------------------------------------------------


class CountIn(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices)
    minority = serializers.BooleanField()
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    count = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


class PersonIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnic_group = serializers.CharField(
        max_length=4, help_text=doc("Mã dân tộc (QĐ 121-TCTK): 19 Hrê.", "Ethnic group code.")
    )
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.CharField(max_length=255, required=False, allow_blank=True)
    workplace = serializers.CharField(max_length=255, required=False, allow_blank=True)


class EventIn(serializers.Serializer):
    plan = serializers.IntegerField(help_text=doc("Kế hoạch.", "Plan id."))
    org_unit = serializers.IntegerField(help_text=doc("Xã hoặc thôn.", "Commune or village id."))
    activity = serializers.CharField(
        max_length=60,
        help_text=doc("Mã hoạt động của kế hoạch.", "The plan activity's element code."),
    )
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    title = serializers.CharField(max_length=255)
    held_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    organiser = serializers.CharField(max_length=255, required=False, allow_blank=True)
    group = serializers.IntegerField(required=False, allow_null=True)
    cost = serializers.IntegerField(min_value=0, max_value=10**14 - 1, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    counts = CountIn(many=True, required=False)
    participants = serializers.ListField(child=PersonIn(), required=False, max_length=MAX_PEOPLE)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        help_text=doc(
            "Ghi cả khi đã có sự kiện giống hệt (cùng nơi, ngày, hoạt động, số liệu).",
            "Record it even though an identical event is recorded.",
        ),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=doc(
            "Khi sửa: phiên bản đã đọc (hoặc If-Match).", "On a change: the version read."
        ),
    )


def counts_attach(events: list[Event]) -> list[Event]:
    """The participant cells of a page of events, in one query, as plain dicts on each event
    (``count_cells``). Not ``prefetch_related``: its model instances point back at their event,
    a reference cycle per cell that only the garbage collector's full passes reclaim (a page in
    sixteen paid ~150 ms for them in bench/api_events.py), and a nested serializer per cell took a
    third of a page's time."""
    cells: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        ParticipantCount.objects.filter(event_id__in=[event.pk for event in events])
        .order_by("event_id", "sex", "-minority", "age_group")
        .values_list("event_id", "sex", "minority", "age_group", "count")
    )
    for event_id, sex, minority, age_group, count in rows:
        cells[event_id].append(
            {"sex": sex, "minority": minority, "age_group": age_group, "count": count}
        )
    for event in events:
        event.count_cells = cells[event.pk]  # type: ignore[attr-defined]
    return events
