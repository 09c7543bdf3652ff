"""The import of community groups, their members, women cadres and difficulties."""

from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.activities.excel.importing import (
    CREATE,
    SAME,
    UPDATE,
    Importer,
    Item,
    RowReader,
)
from duan8.activities.excel.kinds import (
    CADRES,
    DIFFICULTIES,
    GROUPS,
    MEMBERS,
)
from duan8.activities.excel.lists import key
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    WomanCadre,
)
from duan8.activities.services.cadres import (
    CadreChange,
    CadreInput,
    woman_cadre_check,
    woman_cadre_lock_problems,
    woman_cadres_save_many,
)
from duan8.activities.services.difficulties import (
    DifficultyChange,
    DifficultyInput,
    difficulties_save_many,
    difficulty_check,
    difficulty_lock_problems,
)
from duan8.activities.services.groups import (
    GroupChange,
    GroupInput,
    GroupNew,
    community_group_check,
    community_group_lock_problems,
    community_groups_save_many,
)
from duan8.activities.services.members import (
    MemberChange,
    MemberInput,
    MemberNew,
    member_check,
    member_lock_problems,
    members_save_many,
)
from duan8.activities.services.shared import Upload, record_changed
from duan8.core.problems import WHOLE

# --- community groups ----------------------------------------------------------------------


def equipment_lines(text: str) -> str:
    """“bàn; ghế” in a cell ↔ one item per line in the record."""
    parts = [p.strip() for p in text.replace("\n", ";").split(";")]
    return "\n".join(p for p in parts if p)


class GroupImporter(Importer):
    kind = GROUPS
    FIELDS = (
        "kind",
        "school",
        "founded_on",
        "women_leadership",
        "channel",
        "channel_address",
        "equipment",
        "notes",
    )
    # A change to a group as a whole (refused in a locked period) is shown on its name.
    FIELD_COLUMNS = {"org_unit": "unit", WHOLE: "name"}

    def prepare(self) -> None:
        groups = (
            CommunityGroup.objects.filter(org_unit__path__startswith=self.scope.commune.path)
            .select_related("org_unit")
            .prefetch_related("statuses")
        )
        self.existing = {(g.org_unit_id, key(g.name)): g for g in groups}

    def row(self, r: RowReader) -> Item | None:
        kind, name, unit, school = r.get("kind"), r.get("name"), r.get("unit"), r.get("school")
        founded_on, leadership, channel = (
            r.get("founded_on"),
            r.get("women_leadership"),
            r.get("channel"),
        )
        address, equipment, notes = r.get("channel_address"), r.get("equipment"), r.get("notes")
        status, status_on = r.get("status"), r.get("status_on")
        if r.failed or not self.unit_allowed(r, "unit", unit):
            return None
        data = GroupInput(
            kind=kind,
            name=name,
            org_unit=unit,
            founded_on=founded_on,
            school=school,
            women_leadership=leadership or "",
            channel=channel or "",
            channel_address=address,
            equipment=equipment_lines(equipment),
            notes=notes,
        )
        r.problems(community_group_check(data))
        if r.failed:
            return None
        identity = (unit.pk, key(name))
        self.once(r, "name", identity, _("same name in the same place"))
        existing = self.existing.get(identity)
        history = list(existing.statuses.all()) if existing is not None else []
        latest = history[-1] if history else None
        new_status = None
        if status and (latest.status if latest else CommunityGroupStatus.Status.FOUNDED) != status:
            if status_on is None:
                r.error("status_on", _("required when the status changes"))
            elif status_on < founded_on:
                r.error("status_on", _("before the day the group was founded"))
            elif status_on > timezone.localdate():
                r.error("status_on", _("in the future"))
            else:
                new_status = (status, status_on)
        if existing is None:
            item: GroupNew | GroupChange = GroupNew(data, status=new_status)
            action = CREATE
        else:
            # The row names the recorded group: its name, place and plan stay as recorded.
            data.name, data.plan = existing.name, existing.plan
            item = GroupChange(existing, data, existing.version, new_status)
            changes = record_changed(existing, data, self.FIELDS)
            action = UPDATE if changes or new_status else SAME
        if action != SAME:
            r.problems(community_group_lock_problems(self.locks, item))
        return Item(r.raw.number, action, r.values, item, existing)

    def write(self, items: list[Item], upload: Upload) -> None:
        community_groups_save_many(
            actor=self.actor,
            new=[i.data for i in items if i.action == CREATE],
            changes=[i.data for i in items if i.action == UPDATE],
            upload=upload,
        )


# --- members of groups ---------------------------------------------------------------------


class MemberImporter(Importer):
    kind = MEMBERS
    FIELDS = ("sex", "ethnic_group", "role", "joined_on", "left_on")

    def prepare(self) -> None:
        members = CommunityGroupMember.objects.filter(
            group__org_unit__path__startswith=self.scope.unit.path
        ).select_related("group__org_unit")
        self.existing = {(m.group_id, key(m.full_name), m.birth_year): m for m in members}

    def row(self, r: RowReader) -> Item | None:
        group, name, sex = r.get("group"), r.get("full_name"), r.get("sex")
        ethnic_group, birth_year, role = r.get("ethnic_group"), r.get("birth_year"), r.get("role")
        joined_on, left_on = r.get("joined_on"), r.get("left_on")
        if r.failed or not self.unit_allowed(r, "group", group.org_unit):
            return None
        data = MemberInput(
            full_name=name,
            sex=sex,
            ethnic_group=ethnic_group,
            joined_on=joined_on,
            birth_year=birth_year,
            role=role or CommunityGroupMember.Role.MEMBER,
            left_on=left_on,
        )
        r.problems(member_check(data))
        if r.failed:
            return None
        identity = (group.pk, key(name), birth_year)
        self.once(r, "full_name", identity, _("same group, name and year of birth"))
        existing = self.existing.get(identity)
        if existing is None:
            item: MemberNew | MemberChange = MemberNew(group, data)
            action = CREATE
        else:
            # The row names the recorded member: the name stays as recorded.
            data.full_name = existing.full_name
            item = MemberChange(existing, data, existing.version)
            action = UPDATE if record_changed(existing, data, self.FIELDS) else SAME
        if action != SAME:
            r.problems(member_lock_problems(self.locks, item))
        return Item(r.raw.number, action, r.values, item, existing)

    def write(self, items: list[Item], upload: Upload) -> None:
        members_save_many(
            actor=self.actor,
            new=[i.data for i in items if i.action == CREATE],
            changes=[i.data for i in items if i.action == UPDATE],
            upload=upload,
        )


# --- women cadres --------------------------------------------------------------------------


class CadreImporter(Importer):
    kind = CADRES
    FIELDS = ("ethnic_group", "position", "since", "until", "notes")

    def prepare(self) -> None:
        cadres = WomanCadre.objects.filter(
            org_unit__path__startswith=self.scope.unit.path
        ).select_related("org_unit")
        self.existing = {
            (c.org_unit_id, key(c.full_name), c.birth_year, c.status): c for c in cadres
        }

    def row(self, r: RowReader) -> Item | None:
        unit, name, group = r.get("unit"), r.get("full_name"), r.get("ethnic_group")
        birth_year, position, status = r.get("birth_year"), r.get("position"), r.get("status")
        since, until, notes = r.get("since"), r.get("until"), r.get("notes")
        if r.failed or not self.unit_allowed(r, "unit", unit):
            return None
        data = CadreInput(
            org_unit=unit,
            full_name=name,
            ethnic_group=group,
            position=position,
            status=status,
            since=since,
            until=until,
            birth_year=birth_year,
            notes=notes,
        )
        r.problems(woman_cadre_check(data))
        if since > timezone.localdate():
            r.error("since", _("in the future"))
        if r.failed:
            return None
        identity = (unit.pk, key(name), birth_year, status)
        self.once(r, "full_name", identity, _("same unit, name, year of birth and status"))
        existing = self.existing.get(identity)
        item: CadreInput | CadreChange = data
        action = CREATE
        if existing is not None:
            # The row names the recorded cadre: her name and plan stay as recorded.
            data.full_name, data.plan = existing.full_name, existing.plan
            item = CadreChange(existing, data, existing.version)
            action = UPDATE if record_changed(existing, data, self.FIELDS) else SAME
        if action != SAME:
            r.problems(woman_cadre_lock_problems(self.locks, item))
        return Item(r.raw.number, action, r.values, item, existing)

    def write(self, items: list[Item], upload: Upload) -> None:
        woman_cadres_save_many(
            actor=self.actor,
            new=[i.data for i in items if i.action == CREATE],
            changes=[i.data for i in items if i.action == UPDATE],
            upload=upload,
        )


# --- difficulties --------------------------------------------------------------------------


class DifficultyImporter(Importer):
    kind = DIFFICULTIES

    def prepare(self) -> None:
        rows = Difficulty.objects.filter(
            org_unit__path__startswith=self.scope.unit.path
        ).select_related("org_unit")
        self.existing = {(d.org_unit_id, d.raised_on, key(d.description)): d for d in rows}

    def row(self, r: RowReader) -> Item | None:
        unit, raised_by, raised_on = r.get("unit"), r.get("raised_by"), r.get("raised_on")
        description, activity = r.get("description"), r.get("activity")
        if r.failed or not self.unit_allowed(r, "unit", unit):
            return None
        data = DifficultyInput(unit, raised_by, raised_on, description, self.scope.plan, activity)
        r.problems(difficulty_check(data))
        if r.failed:
            return None
        identity = (unit.pk, raised_on, key(description))
        self.once(r, "description", identity, _("same place, day and text"))
        existing = self.existing.get(identity)
        item: DifficultyInput | DifficultyChange = data
        action = CREATE
        if existing is not None:
            item = DifficultyChange(existing, data, existing.version)
            open_ = existing.status == Difficulty.Status.OPEN
            changed = record_changed(existing, data, ("raised_by", "activity"))
            action = UPDATE if open_ and changed else SAME
        if action != SAME:
            r.problems(difficulty_lock_problems(self.locks, item))
        return Item(r.raw.number, action, r.values, item, existing)

    def write(self, items: list[Item], upload: Upload) -> None:
        difficulties_save_many(
            actor=self.actor,
            new=[i.data for i in items if i.action == CREATE],
            changes=[i.data for i in items if i.action == UPDATE],
            upload=upload,
        )
