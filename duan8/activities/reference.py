"""Reference lists of the activities app: the 54 ethnic groups."""

import json
from pathlib import Path

from duan8.activities.models import EthnicGroup

ETHNIC_GROUPS_FILE = Path(__file__).resolve().parent / "data" / "ethnic_groups.json"


def ethnic_groups_load() -> int:
    """Create or update the 54 groups from the data file (the migration does the same)."""
    data = json.loads(ETHNIC_GROUPS_FILE.read_text(encoding="utf-8"))
    for row in data["groups"]:
        EthnicGroup.objects.update_or_create(
            code_system=data["code_system"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "aliases": row["aliases"],
                "is_minority": row["is_minority"],
            },
        )
    return len(data["groups"])


def ethnic_group_by_code() -> dict[str, EthnicGroup]:
    return {group.code: group for group in EthnicGroup.objects.all()}
