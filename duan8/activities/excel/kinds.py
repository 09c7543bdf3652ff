"""The columns of each kind of record, shared by the template, the reader, the preview and the
export. Headers are msgids (Vietnamese by translation); the reader accepts them in every language.
The column types and the columns several kinds share are in ``columns``.
"""

from django.utils.translation import gettext_lazy as _

from duan8.activities.excel.columns import (
    CHOICE,
    COUNT_CELLS,
    DATE,
    INT,
    MONEY,
    Column,
    Kind,
    activity_column,
    count_key,
    person_columns,
    unit_column,
)

EVENTS = Kind(
    key="events",
    slug="su-kien",
    title=_("Events with participant counts"),
    sheet_title=_("Events"),
    record=_("an event"),
    needs_plan=True,
    plan_bound=True,
    columns=(
        activity_column(required=True),
        Column(
            "kind",
            _("Kind of event"),
            _("Communication session, campaign, training, dialogue, …"),
            CHOICE,
            required=True,
            choices="event_kinds",
            width=26,
        ),
        Column(
            "title",
            _("Title"),
            _("What was done, in a few words."),
            required=True,
            width=36,
        ),
        Column(
            "held_on",
            _("Date held"),
            _("The day it took place (the first day), within the plan's year."),
            DATE,
            required=True,
            width=12,
        ),
        Column(
            "ended_on",
            _("End date"),
            _("For events of several days; empty otherwise."),
            DATE,
            width=12,
        ),
        unit_column(),
        Column("place", _("Place"), _("Where exactly: cultural house, school, …"), width=22),
        Column("organiser", _("Organiser"), _("Who organised it."), width=22),
        Column(
            "group",
            _("Held by group"),
            _("The community group that held it, if any."),
            CHOICE,
            choices="groups",
            width=30,
        ),
        Column(
            "cost",
            _("Cost (VND)"),
            _("Whole đồng, without dots or commas, e.g. 1500000."),
            MONEY,
            width=14,
        ),
        *(
            Column(
                count_key(sex, minority, age),
                header,
                _("Number of participants in this group; 0 or empty when none."),
                INT,
                width=12,
            )
            for sex, minority, age, header in COUNT_CELLS
        ),
        Column(
            "total",
            _("Total participants"),
            _("Optional; when given it must equal the sum of the numbers before it."),
            INT,
            width=12,
        ),
        Column("notes", _("Notes"), _("Anything else worth keeping."), width=30, max_length=2000),
    ),
    notes=(
        _("Dates must fall within the plan's year and not in the future."),
        _(
            "A row with the same activity, title, date and place as a recorded event updates that "
            "event; an event that has a list of participants keeps its list, and its numbers must "
            "agree with the list."
        ),
    ),
)

PARTICIPANTS = Kind(
    key="participants",
    slug="nguoi-tham-gia",
    title=_("Participants or nominees of an event"),
    sheet_title=_("Participants"),
    record=_("a participant or nominee"),
    columns=(
        *person_columns(),
        Column("position", _("Position"), _("Position or title, if any."), width=24),
        Column(
            "workplace",
            _("Workplace or village"),
            _("Where the person works or lives."),
            width=24,
        ),
    ),
    notes=(
        _(
            "The uploaded list replaces the event's list. When the event already has numbers of "
            "participants, the list must agree with them."
        ),
    ),
)

GROUPS = Kind(
    key="groups",
    slug="to-nhom",
    title=_("Community groups"),
    sheet_title=_("Groups"),
    record=_("a community group"),
    columns=(
        Column(
            "kind",
            _("Kind of group"),
            _("Communication team, club, trusted address, livelihood group, …"),
            CHOICE,
            required=True,
            choices="group_kinds",
            width=28,
        ),
        Column(
            "name",
            _("Name of the group"),
            _("The name used locally; unique within the village."),
            required=True,
            width=34,
        ),
        unit_column(),
        Column("school", _("School"), _("For clubs held at a school."), width=22),
        Column(
            "founded_on",
            _("Date founded"),
            _("The day the group was founded."),
            DATE,
            required=True,
            width=12,
        ),
        Column(
            "women_leadership",
            _("Women's leadership"),
            _("For livelihood groups and cooperatives: led or co-led by a woman."),
            CHOICE,
            choices="women_leadership",
            width=20,
        ),
        Column(
            "channel",
            _("Digital channel"),
            _("Zalo or Facebook group, if the group has one."),
            CHOICE,
            choices="channels",
            width=16,
        ),
        Column(
            "channel_address",
            _("Channel address or name"),
            _("The link or the name of the group on Zalo/Facebook."),
            width=24,
        ),
        Column(
            "equipment",
            _("Equipment received"),
            _("Items received, separated by “;”."),
            width=30,
            max_length=2000,
        ),
        Column(
            "status",
            _("Status"),
            _("Founded, maintained, paused or dissolved; empty keeps the current status."),
            CHOICE,
            choices="group_statuses",
            width=16,
        ),
        Column(
            "status_on",
            _("Status since"),
            _("The day the status began; required when the status changes."),
            DATE,
            width=12,
        ),
        Column("notes", _("Notes"), _("Anything else worth keeping."), width=30, max_length=2000),
        Column(
            "members_now",
            _("Members now"),
            _("Only in exports: members today."),
            INT,
            export_only=True,
            width=10,
        ),
        Column(
            "men_now",
            _("Of whom men"),
            _("Only in exports: men among the members today."),
            INT,
            export_only=True,
            width=10,
        ),
    ),
    notes=(
        _(
            "A row with the name of a group already recorded in the same village updates that "
            "group; a different status adds the status from the given day."
        ),
    ),
)

MEMBERS = Kind(
    key="members",
    slug="thanh-vien",
    title=_("Members of community groups"),
    sheet_title=_("Members"),
    record=_("a member of a group"),
    columns=(
        Column(
            "group",
            _("Group"),
            _("The group, chosen from the list (the commune's groups)."),
            CHOICE,
            required=True,
            choices="groups",
            width=34,
        ),
        *person_columns(),
        Column(
            "role",
            _("Role"),
            _("Leader, deputy leader, core member or member (member when empty)."),
            CHOICE,
            choices="roles",
            width=16,
        ),
        Column(
            "joined_on",
            _("Joined on"),
            _("The day the person joined the group."),
            DATE,
            required=True,
            width=12,
        ),
        Column(
            "left_on",
            _("Left on"),
            _("The day the person left; empty while a member."),
            DATE,
            width=12,
        ),
    ),
    notes=(
        _(
            "A person already in the group (same group, full name and year of birth) is updated, "
            "not added twice."
        ),
    ),
)

CADRES = Kind(
    key="cadres",
    slug="can-bo-nu",
    title=_("Ethnic-minority women cadres"),
    sheet_title=_("Women cadres"),
    record=_("a woman cadre in one status"),
    columns=(
        unit_column(_("Unit")),
        *(c for c in person_columns() if c.key != "sex"),
        Column(
            "position",
            _("Position"),
            _("Leadership position held, planned or trained for."),
            required=True,
            width=28,
        ),
        Column(
            "status",
            _("Status"),
            _("In a leadership position, in the pipeline, nominated for training, or trained."),
            CHOICE,
            required=True,
            choices="cadre_statuses",
            width=26,
        ),
        Column("since", _("From"), _("The day the status began."), DATE, required=True, width=12),
        Column(
            "until",
            _("Until"),
            _("The day the status ended; empty if it goes on."),
            DATE,
            width=12,
        ),
        Column("notes", _("Notes"), _("Anything else worth keeping."), width=30, max_length=2000),
    ),
    notes=(
        _(
            "Only ethnic-minority women belong in this list. A row with the same unit, name, "
            "year of birth and status as a recorded one updates it."
        ),
    ),
)

DIFFICULTIES = Kind(
    key="difficulties",
    slug="vuong-mac",
    title=_("Difficulties"),
    sheet_title=_("Difficulties"),
    record=_("a difficulty"),
    plan_bound=True,
    columns=(
        unit_column(_("Raised in")),
        Column(
            "raised_by",
            _("Raised by"),
            _("The person or agency that raised it."),
            required=True,
            width=24,
        ),
        Column(
            "raised_on",
            _("Raised on"),
            _("The day it was raised, within the plan's year."),
            DATE,
            required=True,
            width=12,
        ),
        Column(
            "description",
            _("Difficulty"),
            _("What the difficulty is."),
            required=True,
            width=48,
            max_length=4000,
        ),
        activity_column(required=False),
        Column(
            "status",
            _("Status"),
            _("Only in exports."),
            CHOICE,
            choices="difficulty_statuses",
            export_only=True,
            width=20,
        ),
        Column(
            "escalated_on",
            _("Escalated on"),
            _("Only in exports."),
            DATE,
            export_only=True,
            width=12,
        ),
        Column("escalated_to", _("Escalated to"), _("Only in exports."), export_only=True),
        Column("answer", _("Answer"), _("Only in exports."), export_only=True, width=40),
        Column("answered_by", _("Answered by"), _("Only in exports."), export_only=True),
        Column(
            "answered_on",
            _("Answered on"),
            _("Only in exports."),
            DATE,
            export_only=True,
            width=12,
        ),
    ),
    notes=(
        _(
            "An upload raises new difficulties; a row equal to a recorded one (same place, day "
            "and text) is left as it is. Escalations and answers are made on the page."
        ),
    ),
)

KINDS: dict[str, Kind] = {
    k.key: k for k in (EVENTS, PARTICIPANTS, GROUPS, MEMBERS, CADRES, DIFFICULTIES)
}
# Kinds uploaded for a commune or a village (participants are uploaded for one event).
UNIT_KINDS = [EVENTS, GROUPS, MEMBERS, CADRES, DIFFICULTIES]
BY_SLUG: dict[str, Kind] = {k.slug: k for k in UNIT_KINDS}
PROGRESS_SLUG = "tien-do"
