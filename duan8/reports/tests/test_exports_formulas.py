"""No .xlsx duan8 writes holds a formula: text typed as ``=HYPERLINK(…)``, ``+1+1``, ``-2+3``,
``@SUM(A1)`` or starting with a tab or a carriage return is written as text with a leading
apostrophe (OWASP), in every template, list export, progress export, report and data file.

Every download of a workbook is walked here; ``test_every_workbook_download_is_walked`` fails
when a new one appears that this walk does not know.
"""

import datetime
import io
import logging
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from duan8.activities.excel.kinds import BY_SLUG, PROGRESS_SLUG
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    Difficulty,
    EthnicGroup,
    Event,
    IndicatorRule,
    Participant,
    WomanCadre,
)
from duan8.programs.models import ProgramElement
from duan8.reports.models import Report
from duan8.testing import event_samples, report_samples, report_session

D = datetime.date
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
# The names of the URLs that send a workbook. A new one must be added to ``_downloads``.
WORKBOOK_URLS = {
    "activities:excel_template",
    "activities:excel_export",
    "activities:excel_participants_template",
    "activities:excel_participants_export",
    "reports:report_xlsx",
    "reports:data_export",
    "orgunits:villages_template",
    # their builders are walked in tests/test_new_workbooks_formulas.py
    "mothers:proposal_template",
    "mothers:subject_export",
}


@pytest.fixture
def planted(ba_trang, ba_trang_plan, villages, commune_officer, ethnic_groups, indicator_rules):
    """Every payload as an event title, a participant's and a member's name, a group's name, a
    cadre's name, a difficulty, an indicator's wording and a report's narrative."""
    hre = EthnicGroup.objects.get(code="19")
    bui_hui = villages["Bùi Hui"]
    dialogue = event_samples(ba_trang_plan, villages, commune_officer)["event"]
    group = CommunityGroup.objects.create(
        kind="communication_team",
        name="Tổ truyền thông",
        org_unit=bui_hui,
        founded_on=D(2023, 1, 2),
    )
    indicators = list(
        ProgramElement.objects.filter(
            pk__in=IndicatorRule.objects.values("element"), kind="indicator"
        ).order_by("order", "code")[: len(PAYLOADS)]
    )
    for index, payload in enumerate(PAYLOADS):
        event = report_session(ba_trang_plan, bui_hui, D(2023, 3, 1 + index), commune_officer)
        Event.objects.filter(pk=event.pk).update(title=payload, place=payload, notes=payload)
        Participant.objects.create(event=dialogue, full_name=payload, sex="F", position=payload)
        CommunityGroup.objects.create(
            kind="change_club", name=payload, org_unit=bui_hui, founded_on=D(2023, 2, 1)
        )
        CommunityGroupMember.objects.create(
            group=group, full_name=payload, sex="F", ethnic_group=hre, joined_on=D(2023, 2, 1)
        )
        WomanCadre.objects.create(
            org_unit=bui_hui,
            full_name=payload,
            ethnic_group=hre,
            position=payload,
            status=WomanCadre.Status.PLANNED,
            since=D(2023, 5, 1),
        )
        Difficulty.objects.create(
            org_unit=bui_hui, raised_by=payload, raised_on=D(2023, 11, 2), description=payload
        )
        ProgramElement.objects.filter(pk=indicators[index].pk).update(title=payload)
    report = report_samples(ba_trang, commune_officer)["report"]
    Report.objects.filter(pk=report.pk).update(
        results=PAYLOADS[0], difficulties=PAYLOADS[2], proposals=PAYLOADS[5]
    )
    return {"event": dialogue, "report": report}


def _downloads(unit, plan, event, report) -> dict[str, tuple[str, list[str]]]:
    """name → (URL, the payloads its file must show): every workbook download."""
    plan_query = f"?plan={plan.pk}"
    everything = list(PAYLOADS)
    downloads: dict[str, tuple[str, list[str]]] = {}
    for slug in BY_SLUG:
        args = [unit.pk, slug]
        downloads[f"template {slug}"] = (
            reverse("activities:excel_template", args=args) + plan_query,
            everything if slug in ("su-kien", "thanh-vien") else [],  # the groups' drop-down
        )
        downloads[f"export {slug}"] = (
            reverse("activities:excel_export", args=args) + plan_query,
            everything,
        )
    downloads["export progress"] = (
        reverse("activities:excel_export", args=[unit.pk, PROGRESS_SLUG]) + plan_query,
        everything,
    )
    downloads["template participants"] = (
        reverse("activities:excel_participants_template", args=[event.pk]),
        [],
    )
    downloads["export participants"] = (
        reverse("activities:excel_participants_export", args=[event.pk]),
        everything,
    )
    downloads["report"] = (reverse("reports:report_xlsx", args=[report.pk]), everything)
    downloads["data"] = (
        reverse("reports:data_export", args=["VN-QD124-21520"]) + "?year=2023&format=xlsx",
        everything,
    )
    downloads["villages template"] = (reverse("orgunits:villages_template", args=[unit.pk]), [])
    return downloads


def _cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_no_workbook_holds_a_formula_and_every_text_reads_as_typed(
    client, ba_trang, ba_trang_plan, commune_officer, planted, caplog
):
    client.force_login(commune_officer)
    downloads = _downloads(ba_trang, ba_trang_plan, planted["event"], planted["report"])
    problems = []

    with caplog.at_level(logging.WARNING, logger="duan8.core.xlsx"):
        for name, (url, expected) in downloads.items():
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            streamed = response.streaming  # the data file is sent as it is made
            cells = _cells(b"".join(response.streaming_content) if streamed else response.content)
            texts = {c.value for c in cells if isinstance(c.value, str)}
            formulas = [c.coordinate for c in cells if c.data_type == "f"]
            if formulas:
                problems.append(f"{name}: formulas in {formulas[:5]}")
            raw = [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r") and t != "-"]
            if raw:
                problems.append(f"{name}: written as typed, not escaped: {raw[:5]}")
            missing = [p for p in expected if not any(t.startswith("'" + p) for t in texts)]
            if missing:
                problems.append(f"{name}: does not show {missing}")

    assert problems == []
    # Every text went through duan8.core.xlsx.cell_value: none needed repairing on saving.
    assert [r.getMessage() for r in caplog.records if r.name == "duan8.core.xlsx"] == []


def test_every_report_narrative_is_text(client, commune_officer, planted):
    client.force_login(commune_officer)
    report = planted["report"]

    for payload in PAYLOADS:
        Report.objects.filter(pk=report.pk).update(results=payload)
        content = client.get(reverse("reports:report_xlsx", args=[report.pk])).content

        cells = _cells(content)
        assert not [c for c in cells if c.data_type == "f"]
        assert "'" + payload in {c.value for c in cells}


def test_an_export_with_formulas_uploads_again_as_typed(
    client, ba_trang, ba_trang_plan, commune_officer, planted
):
    """The apostrophe is for Excel only: the members uploaded again from the export are named as
    they were typed. (An upload collapses spaces, tabs and line breaks, so those two are left
    out.)"""
    CommunityGroupMember.objects.filter(full_name__in=["\t=1", "\r=1"]).delete()
    client.force_login(commune_officer)
    exported = client.get(
        reverse("activities:excel_export", args=[ba_trang.pk, "thanh-vien"])
    ).content
    before = sorted(CommunityGroupMember.objects.values_list("full_name", flat=True))
    CommunityGroupMember.objects.all().delete()

    uploaded = client.post(
        reverse("activities:excel_upload", args=[ba_trang.pk, "thanh-vien"]),
        {"file": SimpleUploadedFile("thanh-vien.xlsx", exported)},
    )
    confirmed = client.post(
        reverse("activities:excel_preview", args=[ba_trang.pk, "thanh-vien"]),
        {"action": "confirm"},
    )

    assert uploaded.status_code == 302 and confirmed.status_code == 302
    assert sorted(CommunityGroupMember.objects.values_list("full_name", flat=True)) == before
    assert set(PAYLOADS[:5]) <= set(before)


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_workbook_download_is_walked():
    """A view whose module writes or sends .xlsx and whose name says template, export or xlsx is
    one of the downloads walked above."""
    found = {
        name
        for name, view in _url_names(get_resolver().url_patterns)
        if re.search(r"template|export|xlsx", name)
        and not name.startswith("admin:")
        and view.__module__.startswith("duan8.")
    }

    assert found == WORKBOOK_URLS, "walk the new download in _downloads and list it here"
