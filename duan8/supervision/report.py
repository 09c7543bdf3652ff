"""The supervision report of a year, for a commune (or a unit above it, adding up its communes):
the sessions, the findings by topic, the recommendations answered, accepted, open and overdue.
As Word (.docx, ``documents.docx_builder`` with the commune template's layout) and Excel
(.xlsx, ``core.xlsx``: every cell text except our numbers). The report is an official Vietnamese
document: its wording is Vietnamese whatever the page's language. Members are counted, never
named."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW
from duan8.core import audit, xlsx
from duan8.documents.docx_builder import DocxBuilder, Layout, Line, TableCell
from duan8.documents.plan_document import fill
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import ascii_slug, upper
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.supervision.models import Finding, Recommendation, Session

XLSX, DOCX = "xlsx", "docx"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEMPLATE_KEY = "plan.commune"
BODY_VI: dict[str, str] = {
    Session.Body.FATHERLAND_FRONT: "Ủy ban MTTQ Việt Nam",
    Session.Body.WOMENS_UNION: "Hội Liên hiệp Phụ nữ",
    Session.Body.COMMUNITY_BOARD: "Ban giám sát đầu tư của cộng đồng",
}
SUBJECT_VI: dict[str, str] = {
    Session.Subject.ACTIVITY: "Hoạt động của kế hoạch",
    Session.Subject.EVENT: "Sự kiện, hoạt động đã tổ chức",
    Session.Subject.PAYMENT_LIST: "Danh sách chi trả chính sách",
    Session.Subject.POLICY: "Việc thực hiện chính sách",
}
METHOD_VI: dict[str, str] = {
    Session.Method.DOCUMENTS: "nghiên cứu hồ sơ",
    Session.Method.FIELD_VISIT: "khảo sát thực tế",
    Session.Method.INTERVIEWS: "phỏng vấn",
}
TOPIC_VI: dict[str, str] = {
    Finding.Topic.TARGETING: "Đối tượng thụ hưởng, danh sách",
    Finding.Topic.PAYMENTS: "Chi trả, kinh phí",
    Finding.Topic.ACTIVITIES: "Tổ chức thực hiện hoạt động",
    Finding.Topic.PARTICIPATION: "Sự tham gia của phụ nữ, trẻ em",
    Finding.Topic.RECORDS: "Hồ sơ, báo cáo",
    Finding.Topic.OTHER: "Khác",
}
TEXTS = {
    "document_type": "BÁO CÁO",
    "title": "Kết quả giám sát việc thực hiện Dự án 8 năm {year}",
    "sessions": "I. CÁC CUỘC GIÁM SÁT",
    "findings": "II. KẾT QUẢ GIÁM SÁT THEO NỘI DUNG",
    "recommendations": "III. KIẾN NGHỊ VÀ VIỆC TRẢ LỜI",
    "head_number": "STT",
    "head_date": "Thời gian",
    "head_title": "Nội dung giám sát",
    "head_body": "Chủ thể giám sát",
    "head_subject": "Đối tượng",
    "head_methods": "Phương thức",
    "head_members": "Số thành viên",
    "head_topic": "Nội dung",
    "head_count": "Số phát hiện",
    "head_what": "Kiến nghị",
    "head_value": "Số lượng",
    "made": "Tổng số kiến nghị",
    "accepted": "Đã trả lời, được chấp nhận",
    "answered": "Đã trả lời, chờ đánh giá",
    "open": "Chưa trả lời",
    "overdue": "Trong đó: quá hạn",
    "none": "Không có cuộc giám sát nào trong năm.",
    "sheet": "Giám sát",
}


@dataclass
class YearReport:
    unit: OrgUnit
    year: int
    today: datetime.date
    sessions: list[Session]
    findings_by_topic: dict[str, int]
    recommendations: dict[str, int] = field(default_factory=dict)


def supervision_year(
    *, actor: User, unit: OrgUnit, year: int, today: datetime.date | None = None
) -> YearReport:
    """The year's figures of ``unit`` and the units below it (one query each)."""
    require_permission(actor, RECORDS_VIEW, unit)
    today = today or timezone.localdate()
    sessions = list(
        Session.objects.filter(org_unit__path__startswith=unit.path, starts_on__year=year)
        .select_related("org_unit")
        .order_by("starts_on", "id")
    )
    topics = dict(
        Finding.objects.filter(session__in=[s.pk for s in sessions])
        .values_list("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )
    recommendations = list(
        Recommendation.objects.filter(session__in=[s.pk for s in sessions]).only("status", "due_on")
    )
    counts = Counter(r.status for r in recommendations)
    return YearReport(
        unit=unit,
        year=year,
        today=today,
        sessions=sessions,
        findings_by_topic={t: topics.get(t, 0) for t in Finding.Topic.values},
        recommendations={
            "made": len(recommendations),
            "accepted": counts[Recommendation.Status.ACCEPTED],
            "answered": counts[Recommendation.Status.ANSWERED],
            "open": counts[Recommendation.Status.OPEN],
            "overdue": sum(1 for r in recommendations if r.is_overdue(today)),
        },
    )


def _session_row(number: int, s: Session) -> list[Any]:
    day = s.starts_on.strftime("%d/%m/%Y")
    if s.ends_on and s.ends_on != s.starts_on:
        day += " – " + s.ends_on.strftime("%d/%m/%Y")
    methods = ", ".join(METHOD_VI[m] for m in s.methods if m in METHOD_VI)
    return [
        number,
        day,
        s.title,
        BODY_VI.get(s.body, s.body),
        SUBJECT_VI.get(s.subject, s.subject),
        methods,
        len(s.member_list),
    ]


SESSION_HEADS = ["number", "date", "title", "body", "subject", "methods", "members"]
RECOMMENDATION_KEYS = ["made", "accepted", "answered", "open", "overdue"]


def _title(report: YearReport) -> str:
    return TEXTS["title"].format(year=report.year) + f" – {report.unit.full_name}"


def report_xlsx(report: YearReport) -> bytes:
    book = xlsx.workbook_new(title=_title(report))
    sheet = book.worksheets[0]
    sheet.title = TEXTS["sheet"]
    xlsx.row_append(sheet, [TEXTS["document_type"]])
    xlsx.row_append(sheet, [_title(report)])
    xlsx.row_append(sheet, [])
    xlsx.row_append(sheet, [TEXTS["sessions"]])
    xlsx.row_append(sheet, [TEXTS[f"head_{h}"] for h in SESSION_HEADS])
    for number, s in enumerate(report.sessions, start=1):
        xlsx.row_append(sheet, _session_row(number, s))
    if not report.sessions:
        xlsx.row_append(sheet, [TEXTS["none"]])
    xlsx.row_append(sheet, [])
    xlsx.row_append(sheet, [TEXTS["findings"]])
    xlsx.row_append(sheet, [TEXTS["head_topic"], TEXTS["head_count"]])
    for topic, count in report.findings_by_topic.items():
        xlsx.row_append(sheet, [TOPIC_VI[topic], count])
    xlsx.row_append(sheet, [])
    xlsx.row_append(sheet, [TEXTS["recommendations"]])
    xlsx.row_append(sheet, [TEXTS["head_what"], TEXTS["head_value"]])
    for key in RECOMMENDATION_KEYS:
        xlsx.row_append(sheet, [TEXTS[key], report.recommendations[key]])
    for column, width in zip("ABCDEFG", [8, 24, 60, 28, 28, 30, 12], strict=True):
        sheet.column_dimensions[column].width = width
    return xlsx.workbook_bytes(book)


def report_docx(report: YearReport) -> bytes:
    template = document_template_get(key=TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    builder = DocxBuilder(layout)
    usable = 210 - layout.margins_mm["left"] - layout.margins_mm["right"]
    unit = report.unit
    builder.columns(
        (usable * 0.4, usable * 0.6),
        [
            [
                [
                    Line("ỦY BAN MTTQ VIỆT NAM", size="agency", bold=True),
                    Line(upper(f"{unit.kind} {unit.name}".strip()), size="agency", bold=True),
                ],
                [
                    Line(fill(template, "national_name"), size="national_name", bold=True),
                    Line(fill(template, "motto"), size="motto", bold=True),
                ],
            ]
        ],
    )
    builder.line(Line(TEXTS["document_type"], size="document_type", bold=True, space_before_pt=12))
    builder.line(Line(_title(report), size="summary", bold=True, space_after_pt=12))
    builder.heading(TEXTS["sessions"])
    if report.sessions:
        builder.table(
            [8, 22, 45, 26, 24, 24, 16],
            [[TableCell(TEXTS[f"head_{h}"], bold=True, align="center") for h in SESSION_HEADS]],
            [
                [TableCell(str(v)) for v in _session_row(n, s)]
                for n, s in enumerate(report.sessions, 1)
            ],
        )
    else:
        builder.paragraph(TEXTS["none"])
    builder.heading(TEXTS["findings"])
    builder.table(
        [120, 40],
        [[TableCell(TEXTS["head_topic"], bold=True), TableCell(TEXTS["head_count"], bold=True)]],
        [
            [TableCell(TOPIC_VI[t]), TableCell(str(n), align="right")]
            for t, n in report.findings_by_topic.items()
        ],
    )
    builder.heading(TEXTS["recommendations"])
    builder.table(
        [120, 40],
        [[TableCell(TEXTS["head_what"], bold=True), TableCell(TEXTS["head_value"], bold=True)]],
        [
            [TableCell(TEXTS[k]), TableCell(str(report.recommendations[k]), align="right")]
            for k in RECOMMENDATION_KEYS
        ],
    )
    return builder.to_bytes()


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes


def supervision_report_export(
    *, actor: User, unit: OrgUnit, year: int, file_format: str
) -> ExportedFile:
    report = supervision_year(actor=actor, unit=unit, year=year)
    content = report_docx(report) if file_format == DOCX else report_xlsx(report)
    audit.record(
        actor=actor,
        action="supervision.report.exported",
        target=unit,
        org_unit=unit,
        after={"year": year, "format": file_format},
    )
    return ExportedFile(
        filename=f"giam-sat-{ascii_slug(unit.name)}-{year}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
    )
