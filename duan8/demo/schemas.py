"""The declared shape of the demo files (``demo/data/*.json``), read through ``core.schemas``.

A file that does not fit is refused before anything is written, with every problem located
(``ba_trang_2023_work.json: events.12.held_on: must be a date written YYYY-MM-DD``). What the
schema cannot know (a village, a user, an ethnicity code, an activity of the plan, a report
schedule) is checked by the loaders against the database, and what the services check (choices,
dates within the plan's year, rights) is left to them, so the demo meets the rules real work
meets.
"""

import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Field

from duan8.core.schemas import Count, Day, FileSchema, Name, OptionalText, Text


def _moment(value: Any) -> Any:
    """A date and time written "YYYY-MM-DDTHH:MM" (local time), read here so the message is ours."""
    if isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(_("must be a date and time written YYYY-MM-DDTHH:MM")) from None


Moment = Annotated[datetime.datetime, Field(strict=False), BeforeValidator(_moment)]
BirthYear = int | None


# --- a year of work: demo/work.py ---------------------------------------------------------------


class PlanRef(FileSchema):
    reference: Name
    year: int


class Member(FileSchema):
    full_name: Name
    sex: Name
    ethnicity: Name
    joined_on: Day
    birth_year: BirthYear = None
    role: Text = ""  # the service's default (an ordinary member) when empty


class GroupStatus(FileSchema):
    status: Name
    on: Day
    note: Text = ""


class Group(FileSchema):
    key: Name  # how events of the file name the group
    kind: Name
    name: Name
    unit: Name
    founded_on: Day
    recorded_by: Name
    school: Text = ""
    women_leadership: Text = ""
    channel: Text = ""
    channel_address: Text = ""
    equipment: list[Text] = []
    notes: Text = ""
    members: list[Member] = []
    statuses: list[GroupStatus] = []


class CountRow(FileSchema):
    sex: Name
    minority: bool
    age_group: Name
    count: Count


class Participant(FileSchema):
    full_name: Name
    sex: Name
    ethnicity: Name
    birth_year: BirthYear = None
    position: Text = ""
    workplace: Text = ""


class EventRow(FileSchema):
    kind: Name
    activity: Name
    title: Name
    held_on: Day
    unit: Name
    recorded_by: Name
    ended_on: Day | None = None
    place: Text = ""
    organiser: Text = ""
    group: OptionalText = None
    cost: Count = 0
    notes: Text = ""
    counts: list[CountRow] = []
    participants: list[Participant] = []


class Cadre(FileSchema):
    unit: Name
    full_name: Name
    ethnicity: Name
    position: Name
    status: Name
    since: Day
    recorded_by: Name
    until: Day | None = None
    birth_year: BirthYear = None
    under_plan: bool = False
    notes: Text = ""


class Escalation(FileSchema):
    on: Day
    recorded_by: Name
    to: Text = ""


class Answer(FileSchema):
    on: Day
    answered_by: Name
    text: Name
    recorded_by: Name
    resolved: bool = False


class DifficultyRow(FileSchema):
    unit: Name
    raised_by: Name
    raised_on: Day
    description: Name
    recorded_by: Name
    activity: OptionalText = None
    escalated: Escalation | None = None
    answer: Answer | None = None


class WorkFile(FileSchema):
    format: Literal["duan8.demo_work/1"]
    source: Text = ""
    notes: list[Text] = []
    plan: PlanRef
    groups: list[Group] = []
    events: list[EventRow] = []
    women_cadres: list[Cadre] = []
    difficulties: list[DifficultyRow] = []


# --- the reports to the level above: demo/reports.py --------------------------------------------


class Opened(FileSchema):
    by: Name
    at: Moment


class Step(FileSchema):
    action: Literal["submit", "return", "approve"]
    by: Name
    at: Moment
    comment: Text = ""


class ReportRow(FileSchema):
    schedule: Name
    due_on: Day
    opened: Opened
    results: Text
    difficulties: Text
    proposals: Text
    steps: list[Step] = []


class ReportsFile(FileSchema):
    format: Literal["duan8.demo_reports/1"]
    source: Text = ""
    notes: list[Text] = []
    reports: list[ReportRow] = []
