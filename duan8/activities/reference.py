"""Reference lists of the activities app: the 54 ethnic groups."""

from pathlib import Path
from typing import Annotated, Literal

from django.db import transaction

from duan8.activities.models import EthnicGroup
from duan8.core.schemas import FileSchema, Name, Text, fits, load_file

ETHNIC_GROUPS_FILE = Path(__file__).resolve().parent / "data" / "ethnic_groups.json"


class EthnicGroupRow(FileSchema):
    code: Annotated[Name, fits(EthnicGroup, "code")]
    name: Annotated[Name, fits(EthnicGroup, "name")]
    aliases: Annotated[Text, fits(EthnicGroup, "aliases")] = ""
    is_minority: bool


class EthnicGroupsFile(FileSchema):
    """The 54 groups of one code list (QĐ 121-TCTK/PPCĐ, 1979)."""

    format: Literal["duan8.ethnic_groups/1"]
    code_system: Annotated[Name, fits(EthnicGroup, "code_system")]
    source: Text = ""
    groups: list[EthnicGroupRow]


@transaction.atomic
def ethnic_groups_load() -> int:
    """Create or update the 54 groups from the data file (the migration does the same);
    ``FileInvalid`` names each problem of the file and nothing is written."""
    data = load_file(EthnicGroupsFile, ETHNIC_GROUPS_FILE)
    for row in data.groups:
        EthnicGroup.objects.update_or_create(
            code_system=data.code_system,
            code=row.code,
            defaults={"name": row.name, "aliases": row.aliases, "is_minority": row.is_minority},
        )
    return len(data.groups)


def ethnic_group_by_code() -> dict[str, EthnicGroup]:
    return {group.code: group for group in EthnicGroup.objects.all()}
