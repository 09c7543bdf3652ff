"""The import of community groups, their members, women cadres and difficulties."""

from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.activities.excel.importing import (
    BATCH,
    CREATE,
    SAME,
    UPDATE,
    Importer,
    Item,
    RowReader,
    changed,
    stamp,
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
from duan8.activities.services.cadres import CadreInput, woman_cadre_check
from duan8.activities.services.difficulties import difficulty_check
from duan8.activities.services.groups import GroupInput, community_group_check
from duan8.activities.services.members import MemberInput, member_check

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

    def prepare(self) -> None:
        groups = CommunityGroup.objects.filter(
            org_unit__path__startswith=self.scope.commune.path
        ).prefetch_related("statuses")
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
        r.service(community_group_check(data))
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
                self.unlocked(r, "status_on", unit, status_on)
        action = CREATE
        if existing is None:
            self.unlocked(r, "founded_on", unit, founded_on)
        else:
            fields = {n: getattr(data, n) for n in self.FIELDS}
            action = UPDATE if changed(existing, fields) or new_status else SAME
            if changed(existing, fields):
                self.unlocked(r, "name", unit, timezone.localdate())
        return Item(r.raw.number, action, r.values, data, existing, {"status": new_status})

    def write(self, items: list[Item]) -> None:
        new = [i for i in items if i.action == CREATE]
        groups = [
            CommunityGroup(**{n: getattr(i.data, n) for n in ("name", "org_unit", *self.FIELDS)})
            for i in new
        ]
        CommunityGroup.objects.bulk_create(groups, batch_size=BATCH)
        statuses = [
            CommunityGroupStatus(
                group=g, status=CommunityGroupStatus.Status.FOUNDED, on=i.data.founded_on
            )
            for g, i in zip(groups, new, strict=True)
        ]
        changed = [i for i in items if i.action == UPDATE]
        for item in changed:
            for name in self.FIELDS:
                setattr(item.existing, name, getattr(item.data, name))
            item.existing.version += 1
        existing = [i.existing for i in changed]
        stamp(existing)
        CommunityGroup.objects.bulk_update(existing, [*self.FIELDS, "version", "updated_at"])
        for group, item in [*zip(groups, new, strict=True), *((i.existing, i) for i in changed)]:
            if item.extra["status"]:
                status, on = item.extra["status"]
                statuses.append(CommunityGroupStatus(group=group, status=status, on=on))
        CommunityGroupStatus.objects.bulk_create(statuses, batch_size=BATCH)


# --- members of groups ---------------------------------------------------------------------


class MemberImporter(Importer):
    kind = MEMBERS
    FIELDS = ("sex", "ethnic_group", "role", "joined_on", "left_on")

    def prepare(self) -> None:
        members = CommunityGroupMember.objects.filter(
            group__org_unit__path__startswith=self.scope.unit.path
        )
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
        r.service(member_check(data))
        if r.failed:
            return None
        identity = (group.pk, key(name), birth_year)
        self.once(r, "full_name", identity, _("same group, name and year of birth"))
        existing = self.existing.get(identity)
        action = CREATE
        if existing is None:
            self.unlocked(r, "joined_on", group.org_unit, joined_on)
        else:
            fields = {n: getattr(data, n) for n in self.FIELDS}
            if changed(existing, fields):
                action = UPDATE
                self.unlocked(r, "joined_on", group.org_unit, left_on or joined_on)
            else:
                action = SAME
        return Item(r.raw.number, action, r.values, data, existing, {"group": group})

    def write(self, items: list[Item]) -> None:
        CommunityGroupMember.objects.bulk_create(
            (
                CommunityGroupMember(
                    group=i.extra["group"],
                    full_name=i.data.full_name,
                    sex=i.data.sex,
                    ethnic_group=i.data.ethnic_group,
                    birth_year=i.data.birth_year,
                    role=i.data.role,
                    joined_on=i.data.joined_on,
                    left_on=i.data.left_on,
                )
                for i in items
                if i.action == CREATE
            ),
            batch_size=BATCH,
        )
        changed = [i for i in items if i.action == UPDATE]
        for item in changed:
            for name in self.FIELDS:
                setattr(item.existing, name, getattr(item.data, name))
        members = [i.existing for i in changed]
        stamp(members)
        CommunityGroupMember.objects.bulk_update(
            members, [*self.FIELDS, "updated_at"], batch_size=BATCH
        )


# --- women cadres --------------------------------------------------------------------------


class CadreImporter(Importer):
    kind = CADRES
    FIELDS = ("ethnic_group", "position", "since", "until", "notes")

    def prepare(self) -> None:
        cadres = WomanCadre.objects.filter(org_unit__path__startswith=self.scope.unit.path)
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
        r.service(woman_cadre_check(data))
        if since > timezone.localdate():
            r.error("since", _("in the future"))
        if r.failed:
            return None
        identity = (unit.pk, key(name), birth_year, status)
        self.once(r, "full_name", identity, _("same unit, name, year of birth and status"))
        existing = self.existing.get(identity)
        action = CREATE
        if existing is not None:
            fields = {n: getattr(data, n) for n in self.FIELDS}
            action = UPDATE if changed(existing, fields) else SAME
        if action != SAME:
            self.unlocked(r, "since", unit, since)
        return Item(r.raw.number, action, r.values, data, existing)

    def write(self, items: list[Item]) -> None:
        names = ("org_unit", "full_name", "birth_year", "status", *self.FIELDS)
        WomanCadre.objects.bulk_create(
            (
                WomanCadre(**{n: getattr(i.data, n) for n in names})
                for i in items
                if i.action == CREATE
            ),
            batch_size=BATCH,
        )
        changed = [i for i in items if i.action == UPDATE]
        for item in changed:
            for name in self.FIELDS:
                setattr(item.existing, name, getattr(item.data, name))
        cadres = [i.existing for i in changed]
        stamp(cadres)
        WomanCadre.objects.bulk_update(cadres, [*self.FIELDS, "updated_at"], batch_size=BATCH)


# --- difficulties --------------------------------------------------------------------------


class DifficultyImporter(Importer):
    kind = DIFFICULTIES

    def prepare(self) -> None:
        rows = Difficulty.objects.filter(org_unit__path__startswith=self.scope.unit.path)
        self.existing = {(d.org_unit_id, d.raised_on, key(d.description)): d for d in rows}

    def row(self, r: RowReader) -> Item | None:
        unit, raised_by, raised_on = r.get("unit"), r.get("raised_by"), r.get("raised_on")
        description, activity = r.get("description"), r.get("activity")
        if r.failed or not self.unit_allowed(r, "unit", unit):
            return None
        data = {
            "org_unit": unit,
            "raised_by": raised_by,
            "raised_on": raised_on,
            "description": description,
            "plan": self.scope.plan,
        }
        r.service(difficulty_check(**data))
        if r.failed:
            return None
        data["activity"] = activity
        identity = (unit.pk, raised_on, key(description))
        self.once(r, "description", identity, _("same place, day and text"))
        existing = self.existing.get(identity)
        action = CREATE
        if existing is not None:
            fields = {"raised_by": raised_by, "activity": activity}
            open_ = existing.status == Difficulty.Status.OPEN
            action = UPDATE if open_ and changed(existing, fields) else SAME
        if action != SAME:
            self.unlocked(r, "raised_on", unit, raised_on)
        return Item(r.raw.number, action, r.values, data, existing)

    def write(self, items: list[Item]) -> None:
        Difficulty.objects.bulk_create(
            (Difficulty(**i.data) for i in items if i.action == CREATE), batch_size=BATCH
        )
        changed = [i for i in items if i.action == UPDATE]
        for item in changed:
            item.existing.raised_by = item.data["raised_by"]
            item.existing.activity = item.data["activity"]
            item.existing.version += 1
        rows = [i.existing for i in changed]
        stamp(rows)
        Difficulty.objects.bulk_update(rows, ["raised_by", "activity", "version", "updated_at"])
