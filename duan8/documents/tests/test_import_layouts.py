"""Real plans of other layouts import: no appendix tables, other header layouts, legal bases
broken over lines, a "Thực hiện …" preamble. Their header, legal bases and sections are read;
what is not recognised is listed with its place; the plan is created without targets.

The plans are written here, each both as a Word file (built with python-docx) and as text.
"""

import datetime
import io
import re
from dataclasses import dataclass
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.documents.importing import plan_import_read
from duan8.programs.models import Plan, Target


@pytest.fixture(autouse=True)
def _english(client, english):
    """Messages compared in English (the documents tests' fixture)."""


Row = tuple[str, ...]  # a row of a table (the header or the signature laid out side by side)


@dataclass
class Layout:
    """A plan as blocks: a paragraph (str, tabs allowed) or a table (list of rows)."""

    name: str
    blocks: list[str | list[Row]]

    def text(self) -> bytes:
        lines: list[str] = []
        for block in self.blocks:
            lines.extend(block.split("\n") if isinstance(block, str) else map("\t".join, block))
        return "\n".join(lines).encode()

    def word(self) -> bytes:
        document = docx.Document()
        for block in self.blocks:
            if isinstance(block, str):
                for text in block.split("\n"):
                    document.add_paragraph(text)  # a tab stays a tab (w:tab)
                continue
            table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
            for r, row in enumerate(block):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def place(self, wanted: str, kind: str) -> str:
        """Where the problem list puts the paragraph starting with ``wanted``: its line in the
        text file, its paragraph in the Word file (tables hold no body paragraphs)."""
        line = paragraph = 0
        for block in self.blocks:
            for text in block.split("\n") if isinstance(block, str) else []:
                line, paragraph = line + 1, paragraph + 1
                if text.startswith(wanted):
                    return f"Line {line}" if kind == "txt" else f"Paragraph {paragraph}"
            if not isinstance(block, str):
                line += len(block)
        raise AssertionError(wanted)


PROVINCE = Layout(
    "province",
    [
        [
            ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("TỈNH QUẢNG NGÃI", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 45/KH-UBND", "Quảng Ngãi, ngày 10 tháng 3 năm 2024"),
        ],
        "KẾ HOẠCH\n"
        "Thực hiện Dự án 8 “Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối"
        " với phụ nữ và trẻ em” trên địa bàn tỉnh Quảng Ngãi năm 2024\n"
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ phê duyệt"
        " Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu"
        " số và miền núi giai đoạn 2021 - 2030;\n"
        "Căn cứ Thông tư số 15/2022/TT-BTC ngày 04/3/2022 của Bộ Tài chính quy định quản lý và"
        " sử dụng kinh phí sự nghiệp thực hiện Chương trình;\n"
        "Căn cứ Luật Bình đẳng giới số 73/2006/QH11 ngày 29/11/2006;\n"
        "Xét đề nghị của Sở Lao động - Thương binh và Xã hội, Ủy ban nhân dân tỉnh ban hành Kế"
        " hoạch như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Mục đích\n"
        "- Triển khai đồng bộ các hoạt động của Dự án 8 trên địa bàn tỉnh.\n"
        "2. Yêu cầu\n"
        "- Bám sát mục tiêu, chỉ tiêu được giao.\n"
        "II. MỤC TIÊU\n"
        "- 100% xã vùng đồng bào dân tộc thiểu số duy trì tổ truyền thông cộng đồng.\n"
        "III. KINH PHÍ THỰC HIỆN\n"
        "Ngân sách trung ương và ngân sách tỉnh năm 2024.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Hội Liên hiệp Phụ nữ tỉnh\n"
        "- Chủ trì, phối hợp triển khai Dự án 8.\n"
        "2. Sở Tài chính\n"
        "- Tham mưu bố trí kinh phí.\n"
        "V. CHẾ ĐỘ BÁO CÁO\n"
        "Các sở, ngành báo cáo kết quả trước ngày 15/12/2024.\n"
        "Trên đây là Kế hoạch thực hiện Dự án 8 năm 2024 trên địa bàn tỉnh./.",
        [
            ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
            ("- Bộ Lao động - Thương binh và Xã hội;", "KT. CHỦ TỊCH"),
            ("- Lưu: VT, KGVX.", "PHÓ CHỦ TỊCH"),
            ("", "Trần Phước Hiền"),
        ],
    ],
)

COMMUNE_THUC_HIEN = Layout(
    "commune, no tables, 'Thực hiện' preamble",
    [
        [
            ("UBND XÃ BA KHÂM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("Số: 12/KH-UBND", "Độc lập - Tự do - Hạnh phúc"),
            ("", "Ba Khâm, ngày 05 tháng 02 năm 2024"),
        ],
        "KẾ HOẠCH\n"
        "Triển khai thực hiện Dự án 8 năm 2024\n"
        "Thực hiện Kế hoạch số 141/KH-UBND ngày 07/8/2023 của Ủy ban nhân dân huyện Ba Tơ về"
        " việc triển khai Dự án 8 năm 2024; Ủy ban nhân dân xã Ba Khâm xây dựng Kế hoạch thực"
        " hiện như sau:\n"
        "Để các thôn chủ động bố trí lực lượng.\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "- Nâng cao nhận thức về bình đẳng giới trong cộng đồng.\n"
        "II. NỘI DUNG THỰC HIỆN\n"
        "1. Nội dung 1: Tuyên truyền, vận động thay đổi “nếp nghĩ, cách làm”\n"
        "- Duy trì tổ truyền thông cộng đồng ở thôn Làng Rêu.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Hội LHPN xã\n"
        "- Chủ trì triển khai Kế hoạch.\n"
        "Đề nghị các thôn nghiêm túc triển khai thực hiện./.\n"
        "Nơi nhận:\n"
        "- Hội LHPN huyện;\n"
        "- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\n"
        "CHỦ TỊCH\n"
        "Phạm Văn Khâm",
    ],
)

COMMUNE_ONE_LINE_HEADER = Layout(
    "commune, body and motto on one line, wrapped legal bases",
    [
        "ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ BA TRANG\t\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 15/KH-UBND\t\tBa Trang, ngày 20 tháng 01 năm 2024\n"
        "KẾ HOẠCH\n"
        "Triển khai Dự án 8 năm 2024 trên địa bàn xã Ba Trang\n"
        "Căn cứ Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của\n"
        "Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu quốc gia phát triển kinh tế - xã"
        " hội vùng đồng bào dân tộc thiểu số và miền núi giai đoạn 2021 - 2030;\n"
        "Căn cứ Kế hoạch số\n"
        "195/KH-UBND ngày 29/12/2022 của Ủy ban nhân dân huyện Ba Tơ về việc triển khai Dự án 8\n"
        "Giai đoạn 2021 - 2025;\n"
        "Căn cứ Luật Bình đẳng giới năm 2006;\n"
        "Thực hiện Kế hoạch số 141/KH-UBND ngày 07/8/2023 của Ủy ban nhân dân huyện Ba Tơ về"
        " việc triển khai Dự án 8 năm 2023, Ủy ban nhân dân xã Ba Trang ban hành Kế hoạch thực"
        " hiện năm 2024 như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "- Thực hiện có hiệu quả các chỉ tiêu của Dự án 8.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Hội LHPN xã\n"
        "- Tham mưu Ủy ban nhân dân xã triển khai Kế hoạch.\n"
        "Trên đây là Kế hoạch của Ủy ban nhân dân xã./.\n"
        "Nơi nhận:\n"
        "- Hội LHPN huyện;\n"
        "- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\n"
        "CHỦ TỊCH\n"
        "Phạm Văn Thích",
    ],
)


DISTRICT_NUMBERED_BY_WORD = Layout(
    "district, one-line header, type and summary on one line, headings numbered by Word",
    [
        "UBND HUYỆN BA TƠ     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 30/KH-UBND Ba Tơ, ngày 12 tháng 4 năm 2024\n"
        "KẾ HOẠCH Triển khai Dự án 8 trên địa bàn huyện năm 2024\n"
        "Căn cứ Kế hoạch số 20/KH-UBND ngày 01/02/2024 của Ủy ban nhân dân tỉnh Quảng Ngãi về"
        " thực hiện Dự án 8 năm 2024;\n"
        "Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\n"
        "MỤC ĐÍCH, YÊU CẦU\n"
        "- Triển khai kịp thời các hoạt động của Dự án 8 đến các xã.\n"
        "NHIỆM VỤ, GIẢI PHÁP\n"
        "Tổ chức tập huấn cho cán bộ xã.\n"
        "TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Văn hóa - Xã hội\n"
        "- Chủ trì tham mưu triển khai Kế hoạch.\n"
        "Trên đây là Kế hoạch triển khai Dự án 8 năm 2024 của huyện./.\n"
        "Nơi nhận:\n"
        "- UBND tỉnh;\n"
        "- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\n"
        "CHỦ TỊCH\n"
        "Nguyễn Văn Tơ",
    ],
)


@dataclass
class Expected:
    layout: Layout
    unit: str  # fixture name
    reference: str
    issued_on: datetime.date
    place: str
    issuing_body: str
    title: str
    legal_bases: list[tuple[str, str, datetime.date, str]]  # number, symbol, date, issuer
    proposal: str
    not_recognised: list[str]  # lines (their beginning) listed as not imported
    agencies: list[str]
    signer: tuple[str, str, str]


PLANS = [
    Expected(
        PROVINCE,
        "quang_ngai",
        "45/KH-UBND",
        datetime.date(2024, 3, 10),
        "Quảng Ngãi",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "Thực hiện Dự án 8 “Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với"
        " phụ nữ và trẻ em” trên địa bàn tỉnh Quảng Ngãi năm 2024",
        [
            ("1719", "QĐ-TTg", datetime.date(2021, 10, 14), "Thủ tướng Chính phủ"),
            ("15/2022", "TT-BTC", datetime.date(2022, 3, 4), "Bộ Tài chính"),
            ("73/2006", "QH11", datetime.date(2006, 11, 29), "Quốc hội"),
        ],
        "Xét đề nghị của Sở Lao động - Thương binh và Xã hội, Ủy ban nhân dân tỉnh ban hành Kế"
        " hoạch như sau:",
        ["V. CHẾ ĐỘ BÁO CÁO"],
        ["Hội Liên hiệp Phụ nữ tỉnh", "Sở Tài chính"],
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Phước Hiền"),
    ),
    Expected(
        COMMUNE_THUC_HIEN,
        "ba_kham",
        "12/KH-UBND",
        datetime.date(2024, 2, 5),
        "Ba Khâm",
        "Ủy ban nhân dân xã Ba Khâm",
        "Triển khai thực hiện Dự án 8 năm 2024",
        [("141", "KH-UBND", datetime.date(2023, 8, 7), "Ủy ban nhân dân huyện Ba Tơ")],
        "Ủy ban nhân dân xã Ba Khâm xây dựng Kế hoạch thực hiện như sau:",
        ["Để các thôn chủ động bố trí lực lượng."],
        ["Hội LHPN xã"],
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Khâm"),
    ),
    Expected(
        COMMUNE_ONE_LINE_HEADER,
        "ba_trang",
        "15/KH-UBND",
        datetime.date(2024, 1, 20),
        "Ba Trang",
        "Ủy ban nhân dân xã Ba Trang",
        "Triển khai Dự án 8 năm 2024 trên địa bàn xã Ba Trang",
        [
            ("1719", "QĐ-TTg", datetime.date(2021, 10, 14), "Thủ tướng Chính phủ"),
            ("195", "KH-UBND", datetime.date(2022, 12, 29), "Ủy ban nhân dân huyện Ba Tơ"),
            ("141", "KH-UBND", datetime.date(2023, 8, 7), "Ủy ban nhân dân huyện Ba Tơ"),
        ],
        "Ủy ban nhân dân xã Ba Trang ban hành Kế hoạch thực hiện năm 2024 như sau:",
        ["Căn cứ Luật Bình đẳng giới năm 2006;"],
        ["Hội LHPN xã"],
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Thích"),
    ),
    Expected(
        DISTRICT_NUMBERED_BY_WORD,
        "ba_to",
        "30/KH-UBND",
        datetime.date(2024, 4, 12),
        "Ba Tơ",
        "Ủy ban nhân dân huyện Ba Tơ",
        "Triển khai Dự án 8 trên địa bàn huyện năm 2024",
        [("20", "KH-UBND", datetime.date(2024, 2, 1), "Ủy ban nhân dân tỉnh Quảng Ngãi")],
        "Ủy ban nhân dân huyện ban hành Kế hoạch như sau:",
        ["Tổ chức tập huấn cho cán bộ xã."],
        ["Phòng Văn hóa - Xã hội"],
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Tơ"),
    ),
]
CASES = [
    pytest.param(plan, kind, id=f"{plan.layout.name} ({kind})")
    for plan in PLANS
    for kind in ("docx", "txt")
]


def content(plan: Expected, kind: str) -> bytes:
    return plan.layout.word() if kind == "docx" else plan.layout.text()


def editor(unit):
    """Who may edit the unit's plans: its Women's Union officer, or an administrator above."""
    user = UserFactory(username=f"editor.{unit.code}")
    role = "commune_wu_officer" if unit.level == unit.Level.COMMUNE else "system_admin"
    membership(user, unit, role)
    return user


@pytest.mark.parametrize(("plan", "kind"), CASES)
def test_a_plan_without_appendices_is_read_with_its_header_legal_bases_and_sections(
    request, program_structure, ba_to, plan, kind
):
    unit = request.getfixturevalue(plan.unit)

    result = plan_import_read(
        content=content(plan, kind), filename=f"ke_hoach.{kind}", issuing_unit=unit
    )

    data = result.data
    assert result.errors == []
    assert f"{data['number']}/{data['symbol']}" == plan.reference
    assert data["issued_on"] == plan.issued_on.isoformat() and data["year"] == 2024
    assert (data["place"], data["issuing_body"], data["title"]) == (
        plan.place,
        plan.issuing_body,
        plan.title,
    )
    assert [
        (d["number"], d["symbol"], d["issued_on"], d["issuer"]) for d in data["legal_bases"]
    ] == [(n, s, day.isoformat(), issuer) for n, s, day, issuer in plan.legal_bases]
    assert data["proposal"] == plan.proposal
    assert [item["agency"] for item in data["responsibilities"]] == plan.agencies
    assert (data["signer_authority"], data["signer_title"], data["signer_name"]) == plan.signer
    assert data["purposes"] and data["closing"].endswith("./.")
    assert data["targets"] == [] and "allocation" not in data
    assert any("The file has no appendix tables" in w.message for w in result.warnings)
    for line in plan.not_recognised:
        [problem] = [p for p in result.warnings if p.excerpt.startswith(line)]
        assert problem.where == plan.layout.place(line, kind)


def test_the_provincial_plans_sections_are_kept(program_structure, quang_ngai):
    result = plan_import_read(content=PROVINCE.text(), filename="kh.txt", issuing_unit=quang_ngai)

    data = result.data
    assert data["purposes"] == ["- Triển khai đồng bộ các hoạt động của Dự án 8 trên địa bàn tỉnh."]
    assert data["requirements"] == ["- Bám sát mục tiêu, chỉ tiêu được giao."]
    assert data["specific_targets"] == [
        "- 100% xã vùng đồng bào dân tộc thiểu số duy trì tổ truyền thông cộng đồng."
    ]
    assert data["budget_text"] == "Ngân sách trung ương và ngân sách tỉnh năm 2024."
    assert data["recipients"] == ["- Bộ Lao động - Thương binh và Xã hội;", "- Lưu: VT, KGVX."]
    assert data["parent_body"] == ""
    [legal] = [d for d in data["legal_bases"] if d["symbol"] == "QĐ-TTg"]
    assert legal["title"].startswith("phê duyệt Chương trình mục tiêu quốc gia")
    [law] = [d for d in data["legal_bases"] if d["symbol"] == "QH11"]
    assert (law["kind"], law["title"]) == ("luat", "Luật Bình đẳng giới")


@pytest.mark.parametrize(("plan", "kind"), CASES)
def test_preview_then_confirm_creates_the_plan_without_targets(
    client, request, program_structure, ba_to, plan, kind
):
    unit = request.getfixturevalue(plan.unit)
    user = editor(unit)
    client.force_login(user)
    upload = SimpleUploadedFile(f"ke_hoach.{kind}", content(plan, kind))

    read = client.post(reverse("documents:plan_import", args=[unit.pk]), {"file": upload})
    assert read.status_code == 302, read.content.decode()[:3000]
    page = client.get(read["Location"])
    html = page.content.decode()
    assert plan.reference in html and plan.issuing_body in html
    assert "The file has no appendix tables" in html
    assert "The plan is created without targets" in html
    assert plan.layout.place(plan.not_recognised[0], kind) in html
    assert "Confirm and create the draft plan" in html  # a warning, not an error
    assert Plan.objects.count() == 0

    done = client.post(f"{read['Location']}xac-nhan/")

    plan_row = Plan.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("programs:plan_detail", args=[plan_row.pk])
    assert plan_row.issuing_unit == unit and plan_row.status == Plan.Status.DRAFT
    assert (plan_row.reference, plan_row.issued_on, plan_row.place) == (
        plan.reference,
        plan.issued_on,
        plan.place,
    )
    assert (plan_row.issuing_body, plan_row.title) == (plan.issuing_body, plan.title)
    assert [
        (b.document.number, b.document.symbol, b.document.issued_on, b.document.issuer)
        for b in plan_row.legal_bases.select_related("document").order_by("order")
    ] == plan.legal_bases
    assert not Target.objects.filter(plan=plan_row).exists()
    assert AuditEvent.objects.get(action="documents.plan.imported").after["targets"] == 0
    detail = client.get(done["Location"])
    assert detail.status_code == 200 and plan.reference in detail.content.decode()
    targets = client.get(reverse("programs:plan_targets_edit", args=[plan_row.pk]))
    assert targets.status_code == 200  # where the targets are added afterwards


def test_the_unit_page_of_a_province_offers_the_import_to_its_administrator(
    client, quang_ngai, ba_trang, commune_officer
):
    admin = editor(quang_ngai)
    url = reverse("documents:plan_import", args=[quang_ngai.pk])

    client.force_login(admin)
    offered = (
        url in client.get(reverse("orgunits:unit_detail", args=[quang_ngai.pk])).content.decode()
    )
    client.force_login(commune_officer)
    refused = client.get(url)

    assert offered
    assert refused.status_code == 404  # the province is not theirs to see


def test_the_command_imports_a_provincial_plan(program_structure, quang_ngai, tmp_path):
    path = tmp_path / "ke_hoach_45_2024.txt"
    path.write_bytes(PROVINCE.text())
    out = StringIO()

    call_command("plan_import", str(path), "--unit", "51", stdout=out)

    plan = Plan.objects.get()
    assert (plan.issuing_unit, plan.reference, plan.year) == (quang_ngai, "45/KH-UBND", 2024)
    assert plan.legal_bases.count() == 3
    assert "The file has no appendix tables" in out.getvalue()


def test_a_file_of_hundreds_of_unread_lines_lists_the_first_and_counts_the_rest(
    program_structure, ba_trang
):
    lines = [f"Dòng không rõ số {n}." for n in range(1, 401)]
    text = "\n".join(["Số: 3/KH-UBND", "KẾ HOẠCH", "Triển khai Dự án 8 năm 2024", *lines])

    result = plan_import_read(content=text.encode(), filename="kh.txt", issuing_unit=ba_trang)

    listed = [p.where for p in result.problems]
    summary = result.problems[-1].message
    assert len(result.problems) == 301
    assert "Line 7" in listed and "Line 200" in listed and "Line 403" not in listed
    assert re.match(r"\d+ more problems \(0 of them errors\) are not listed", summary)
    assert result.errors == []


def test_a_header_line_not_recognised_is_listed_with_its_line(program_structure, ba_trang):
    text = "\n".join(
        [
            "DỰ THẢO LẦN 2",
            "ỦY BAN NHÂN DÂN XÃ BA TRANG",
            "Số 7/KH-UBND",  # no colon
            "Ba Trang, ngày 02 tháng 01 năm 2024",
            "KẾ HOẠCH",
            "Triển khai Dự án 8 năm 2024",
        ]
    )

    result = plan_import_read(content=text.encode(), filename="kh.txt", issuing_unit=ba_trang)

    assert (result.data["number"], result.data["issuing_body"]) == (
        7,
        "Ủy ban nhân dân xã Ba Trang",
    )
    [mark] = [p for p in result.warnings if p.excerpt == "DỰ THẢO LẦN 2"]
    assert (mark.where, mark.message) == ("Line 1", "This line of the header is not imported.")
