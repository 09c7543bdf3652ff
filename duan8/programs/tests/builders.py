"""Small ORM builders for view tests: a cut-down Dự án 8 structure and a plan laid out as the seed.

The full program fixture lives in ``duan8/programs/structure.py``; these few rows keep view tests
fast and let a test grow the plan (more villages, more indicators) to check query counts.
"""

import datetime
from decimal import Decimal

from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
)

K = ProgramElement.Kind

# code, kind, number, title, unit
ELEMENTS = [
    (
        "T8",
        K.PROJECT,
        "Dự án 8",
        "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết",
        "",
    ),
    ("T8.ND1", K.CONTENT, "Nội dung 1", "Tuyên truyền, vận động thay đổi “nếp nghĩ, cách làm”", ""),
    ("T8.ND1.HD1", K.ACTIVITY, "Hoạt động 1", "Xây dựng các tổ/nhóm truyền thông tiên phong", ""),
    ("T8.ND1.HD1.1", K.INDICATOR, "1", "Thành lập mới và duy trì tổ truyền thông cộng đồng", "tổ"),
    ("T8.ND1.HD1.3", K.INDICATOR, "3", "Tham gia tập huấn vận hành tổ truyền thông", "lớp"),
    ("T8.ND2", K.CONTENT, "Nội dung 2", "Xây dựng và nhân rộng các mô hình thay đổi", ""),
    (
        "T8.ND2.HD1",
        K.ACTIVITY,
        "Hoạt động 1",
        "Phát triển mô hình tiết kiệm và tín dụng tự quản",
        "",
    ),
    ("T8.ND2.HD1.1", K.INDICATOR, "1", "Hỗ trợ các mô hình sinh kế có phụ nữ làm chủ", "tổ/nhóm"),
    ("T8.ND4", K.CONTENT, "Nội dung 4.", "Trang bị kiến thức về bình đẳng giới", ""),
    ("T8.ND4.1", K.INDICATOR, "1", "Tập huấn giám sát và đánh giá về bình đẳng giới", "cuộc"),
]

COLUMNS = [
    ("T8.ND1.HD1.1", "Nội dung 1", "Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)"),
    ("T8.ND2.HD1.1", "Nội dung 2", "Tổ nhóm sinh kế do PN làm chủ/đồng làm chủ (tổ/nhóm)"),
    ("T8.ND4.1", "Nội dung 4", "Tập huấn hướng dẫn GS&ĐG cho cán bộ xã, thôn (cuộc)"),
]


def project(extra_indicators: int = 0) -> ProgramElement:
    """The cut-down project; ``extra_indicators`` more indicators under Nội dung 4."""
    by_code: dict[str, ProgramElement] = {}
    rows = list(ELEMENTS) + [
        (f"T8.ND4.{n}", K.INDICATOR, str(n), f"Chỉ số bổ sung {n}", "lớp")
        for n in range(2, 2 + extra_indicators)
    ]
    for order, (code, kind, number, title, unit) in enumerate(rows):
        parent = by_code.get(code.rsplit(".", 1)[0]) if "." in code else None
        by_code[code], _ = ProgramElement.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "number": number,
                "title": title,
                "unit": unit,
                "order": order,
                "parent": parent,
            },
        )
    return by_code["T8"]


def element(code: str) -> ProgramElement:
    return ProgramElement.objects.get(code=code)


def extra_villages(commune: OrgUnit, count: int) -> list[OrgUnit]:
    return [
        org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"{commune.code}-{50 + n:02d}",
                name=f"Thôn thử {n}",
                level=OrgUnit.Level.VILLAGE,
                kind="Thôn",
                parent=commune,
            )
        )
        for n in range(1, count + 1)
    ]


def plan(
    commune: OrgUnit,
    villages: list[OrgUnit],
    *,
    year: int = 2023,
    number: int | None = 87,
    extra_indicators: int = 0,
) -> Plan:
    """A draft plan of ``commune`` with the seed's targets and an allocation that adds up."""
    root = project(extra_indicators)
    plan = Plan.objects.create(
        project=root,
        issuing_unit=commune,
        year=year,
        number=number,
        issued_on=datetime.date(year, 9, 25),
        place=commune.name,
        issuing_body=f"UBND {commune.kind.lower()} {commune.name}",
        parent_body="UBND huyện Ba Tơ",
        title=f"Triển khai Dự án 8 trên địa bàn {commune.kind.lower()} {commune.name} năm {year}",
    )
    S, TK = Target.Scope, Target.Kind
    Target.objects.bulk_create(
        [
            Target(plan=plan, element=element("T8.ND1.HD1.1"), scope=S.COMMUNE, kind=TK.NONE),
            Target(
                plan=plan,
                element=element("T8.ND1.HD1.1"),
                scope=S.VILLAGE,
                kind=TK.NUMBER,
                value=Decimal(1),
            ),
            Target(
                plan=plan,
                element=element("T8.ND1.HD1.3"),
                scope=S.COMMUNE,
                kind=TK.TEXT,
                text="Xã rà soát danh sách gửi cho huyện",
            ),
            Target(
                plan=plan,
                element=element("T8.ND2.HD1"),
                scope=S.COMMUNE,
                kind=TK.SUSPENDED,
                text="Tạm dừng hoạt động cho đến khi có văn bản hướng dẫn của Trung ương",
            ),
        ]
    )
    columns = [
        AllocationColumn.objects.create(
            plan=plan, element=element(code), group=group, heading=heading, order=order
        )
        for order, (code, group, heading) in enumerate(COLUMNS)
    ]
    total = AllocationRow.objects.create(
        plan=plan, kind=AllocationRow.Kind.TOTAL, label=f"Chỉ tiêu cần đạt năm {year}", order=0
    )
    union = AllocationRow.objects.create(
        plan=plan,
        parent=total,
        kind=AllocationRow.Kind.AGENCY,
        number="I",
        label="Hội LHPN xã",
        order=1,
    )
    committee = AllocationRow.objects.create(
        plan=plan,
        parent=total,
        kind=AllocationRow.Kind.AGENCY,
        number="II",
        label="UBND xã",
        difficult_villages=len(villages),
        order=2,
    )
    village_rows = [
        AllocationRow.objects.create(
            plan=plan,
            parent=committee,
            kind=AllocationRow.Kind.VILLAGE,
            number=str(n),
            label=village.full_name,
            village=village,
            difficult_villages=1,
            order=2 + n,
        )
        for n, village in enumerate(villages, start=1)
    ]
    rows = [total, union, committee, *village_rows]
    ones = {total.pk, committee.pk, village_rows[-1].pk} if village_rows else set()
    AllocationCell.objects.bulk_create(
        [
            AllocationCell(
                row=row,
                column=column,
                value=Decimal(1 if column == columns[0] and row.pk in ones else 0),
            )
            for row in rows
            for column in columns
        ]
    )
    return plan
