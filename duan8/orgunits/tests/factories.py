import datetime

from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path

OLD_END = datetime.date(2025, 6, 30)


def make_unit(
    *,
    code: str,
    name: str,
    level: int,
    kind: str,
    parent: OrgUnit | None = None,
    scheme: str = OrgUnit.CodeScheme.QD124_2004,
    valid_to: datetime.date | None = OLD_END,
    valid_from: datetime.date | None = None,
) -> OrgUnit:
    return org_unit_save_with_path(
        OrgUnit(
            code_scheme=scheme,
            code=code,
            name=name,
            level=level,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
