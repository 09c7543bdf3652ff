"""The exports stream: each file is written as it is read, one value at a time, and is the very
file the whole-document writers gave (issue 18). The references here are built independently,
the old way: an lxml tree for ADX, ``json.dumps`` of the whole set for DHIS2, an ordinary
(not write-only) openpyxl workbook for Excel."""

import datetime
import json
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from lxml import etree
from openpyxl import load_workbook

from duan8.activities.models import AgeGroup, Sex
from duan8.activities.values import SYSTEM, Breakdown, Cell, DataValue, Measure, indicator_values
from duan8.core import xlsx as core
from duan8.programs.models import ProgramElement
from duan8.reports.exports import adx, data_export, dhis2, xlsx
from duan8.reports.exports.codes import (
    DATA_SET,
    category_option_combo,
    data_element_code,
    dimensions,
    org_unit_code,
)
from duan8.reports.exports.extra import ExtraValue, extra_values
from duan8.reports.exports.periods import adx_period, dhis2_period
from duan8.reports.exports.rows import data_rows, row_count
from duan8.reports.tests.records import SESSIONS, TEAMS, plan_for, session, team

D = datetime.date
NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
NS = "urn:ihe:qrph:adx:2015"


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """2023: Ba Trang 2 sessions (target 10) and a team; Ba Khâm 1 session."""
    plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(plan, villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(plan, villages["Nước Đang"], D(2023, 11, 5), women=5, girls=3)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7, men=2)
    return ba_trang_merger


@pytest.fixture
def data(merged, new_quang_ngai):
    return indicator_values(actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=D(2026, 1, 1))


@pytest.fixture
def extra(data, merged, new_quang_ngai):
    """Values of an app above (as the money's): one for a child, one with a dimension."""
    return [
        ExtraValue(unit=merged, data_element="DA8_FIN_DISBURSED", value=Decimal("1250000.50")),
        ExtraValue(
            unit=new_quang_ngai,
            data_element="DA8_FIN_ALLOCATED",
            value=7,
            dimensions={"SOURCE": "CENTRAL"},
        ),
    ]


def _adx_reference(data, extra) -> bytes:
    """ADX as a whole tree, serialised at once (the way it was written before it streamed)."""
    root = etree.Element(
        f"{{{NS}}}adx", nsmap={None: NS}, exported=NOW.replace(microsecond=0).isoformat()
    )
    for unit in data.units:
        rows = [r for r in data.rows if r.unit.pk == unit.pk]
        more = [v for v in extra if v.unit.pk == unit.pk]
        if not rows and not more:
            continue
        group = etree.SubElement(
            root,
            f"{{{NS}}}group",
            orgUnit=org_unit_code(unit),
            period=adx_period(data.period),
            dataSet=DATA_SET,
            asOf=data.as_of.isoformat(),
        )
        for row in rows:
            etree.SubElement(
                group,
                f"{{{NS}}}dataValue",
                dataElement=data_element_code(row.element, row.measure),
                **dimensions(row.cell),
                value=dhis2.number_text(row.value),
            )
        for value in more:
            etree.SubElement(
                group,
                f"{{{NS}}}dataValue",
                dataElement=value.data_element,
                **value.dimensions,
                value=dhis2.number_text(value.value),
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _dhis2_reference(data, extra) -> bytes:
    period = dhis2_period(data.period)
    payload = {
        "idScheme": "code",
        "dataSet": DATA_SET,
        "period": period,
        "orgUnit": org_unit_code(data.unit),
        "dataValues": [
            {
                "dataElement": data_element_code(r.element, r.measure),
                "period": period,
                "orgUnit": org_unit_code(r.unit),
                "categoryOptionCombo": category_option_combo(r.cell),
                "value": dhis2.number_text(r.value),
            }
            for r in data.rows
        ]
        + [
            {
                "dataElement": v.data_element,
                "period": period,
                "orgUnit": org_unit_code(v.unit),
                "categoryOptionCombo": v.combo,
                "value": dhis2.number_text(v.value),
            }
            for v in extra
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def test_rows_come_one_at_a_time_as_the_engine_lists_them(data):
    assert list(data_rows(data)) == data.rows
    assert row_count(data) == len(data.rows)
    assert len(data.rows) > len(data.units) * len(data.elements)  # targets, participants too


@pytest.mark.parametrize("with_extra", [False, True])
def test_the_streamed_adx_is_byte_for_byte_the_whole_tree(data, extra, with_extra, monkeypatch):
    monkeypatch.setattr(adx, "FLUSH_EVERY", 7)  # many pieces
    values = extra if with_extra else []

    with time_machine.travel(NOW, tick=False):
        pieces = list(adx.chunks(data, values))
        reference = _adx_reference(data, values)

    assert len(pieces) > 3
    assert b"".join(pieces) == reference
    parsed = etree.fromstring(b"".join(pieces))
    assert {v.tag for v in parsed.iter(f"{{{NS}}}dataValue")} == {f"{{{NS}}}dataValue"}
    assert len(list(parsed.iter(f"{{{NS}}}dataValue"))) == len(data.rows) + len(values)


def test_an_adx_without_a_value_is_an_empty_root_as_the_tree_writes_it(data):
    data.elements = []

    with time_machine.travel(NOW, tick=False):
        streamed = b"".join(adx.chunks(data))
        reference = _adx_reference(data, [])

    assert streamed == reference
    assert streamed.endswith(b"/>\n")


@pytest.mark.parametrize("with_extra", [False, True])
def test_the_streamed_dhis2_json_is_byte_for_byte_json_dumps(data, extra, with_extra, monkeypatch):
    monkeypatch.setattr(dhis2, "CHUNK_BYTES", 300)
    values = extra if with_extra else []

    pieces = list(dhis2.chunks(data, values))

    assert len(pieces) > 3
    assert b"".join(pieces) == _dhis2_reference(data, values)
    assert json.loads(b"".join(pieces))["dataValues"][-1]["value"] == (
        "7" if with_extra else dhis2.number_text(data.rows[-1].value)
    )


def test_an_empty_value_set_is_what_json_dumps_writes(data):
    data.elements = []

    assert b"".join(dhis2.chunks(data)) == _dhis2_reference(data, [])


def test_the_writers_take_values_as_they_come_not_all_at_once(data, monkeypatch):
    """The first piece leaves before the engine's rows are all read: nothing holds them all."""
    monkeypatch.setattr(adx, "FLUSH_EVERY", 5)
    monkeypatch.setattr(dhis2, "CHUNK_BYTES", 500)
    for writer in (adx.chunks, dhis2.chunks):
        taken: list = []

        def rows(taken: list = taken):
            for row in data_rows(data):
                taken.append(row)
                yield row

        pieces = writer(data, (), rows())
        next(pieces)
        assert 0 < len(taken) < len(data.rows) // 2, writer
        list(pieces)
        assert len(taken) == len(data.rows)


def _xlsx_reference(data) -> bytes:
    """The workbook built in memory cell by cell, as it was before it streamed."""
    book = core.workbook_new()
    when = f"{data.period.start:%d/%m/%Y} to {data.period.end:%d/%m/%Y}"
    summary = book.active
    summary.title = "Summary"
    core.cell_write(
        summary,
        1,
        1,
        f"Results of {data.unit.full_name}, {when}, on the map of {data.as_of:%d/%m/%Y}",
    )
    heads = ["No.", "Indicator", "Unit of measure"] + [u.full_name for u in data.units]
    for column, label in enumerate(heads, start=1):
        core.cell_write(summary, 3, column, label)
    results = {(r.unit.pk, r.element.pk): r.value for r in data.rows if r.measure == "value"}
    for index, element in enumerate(data.elements, start=4):
        line = [element.outline_number, element.title, element.unit]
        line += [results.get((u.pk, element.pk), 0) for u in data.units]
        for column, value in enumerate(line, start=1):
            core.cell_write(summary, index, column, value)
    table = book.create_sheet("Data")
    core.row_append(
        table,
        [
            "Unit code",
            "Unit",
            "Data element code",
            "Indicator",
            "Measure",
            "Sex",
            "Ethnicity",
            "Age group",
            "Value",
        ],
    )
    sexes, ages = dict(Sex.choices), dict(AgeGroup.choices)
    measures = dict(Measure.choices)
    minority = {True: "Ethnic minority", False: "Kinh"}
    for r in data.rows:
        c = r.cell
        value = int(r.value) if r.value == int(r.value) else float(r.value)
        core.row_append(
            table,
            [
                org_unit_code(r.unit),
                r.unit.full_name,
                data_element_code(r.element, r.measure),
                r.element.title,
                str(measures[r.measure]),
                str(sexes[c.sex]) if c else "",
                minority[c.minority] if c else "",
                str(ages[c.age_group]) if c else "",
                value,
            ],
        )
    return core.workbook_bytes(book)


def _cells(content: bytes, sheet: int) -> list[list]:
    """(value, type) of every cell a reader sees on a sheet."""
    book = load_workbook(BytesIO(content))
    return [[(c.value, c.data_type) for c in row] for row in book.worksheets[sheet].iter_rows()]


@pytest.mark.parametrize("sheet", [0, 1])
def test_the_streamed_workbook_holds_what_the_cell_by_cell_one_held(data, sheet):
    with translation.override("en"):
        streamed = xlsx.render(data)
        reference = _xlsx_reference(data)

    got, reference = _cells(streamed, sheet), _cells(reference, sheet)
    assert len(got) == len(reference)
    for number, (line, expected) in enumerate(zip(got, reference, strict=True), start=1):
        assert line == expected, number


def test_the_streamed_workbook_reads_back_as_the_data_says(data):
    with time_machine.travel(NOW, tick=False):
        book = load_workbook(BytesIO(xlsx.render(data)))

    summary, table, about = book.worksheets
    assert [s.title for s in book.worksheets] == [summary.title, table.title, about.title]
    assert summary.freeze_panes == "D4" and table.freeze_panes == "A2"
    assert summary["A1"].font.bold and summary["A1"].font.sz == 13
    assert all(c.font.bold for c in table[1])
    # every value of the engine, in its order, as the reference computes it
    rows = list(table.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(data.rows)
    assert table.auto_filter.ref == f"A1:I{len(data.rows) + 1}"
    for got, row in zip(rows, data.rows, strict=True):
        assert got[0] == org_unit_code(row.unit)
        assert got[1] == row.unit.full_name
        assert got[2] == data_element_code(row.element, row.measure)
        assert got[3] == row.element.title
        assert got[8] == row.value and not isinstance(got[8], str)
        cell = row.cell
        assert (got[5] is None) == (cell is None)
    results = {(r.unit.pk, r.element.pk): r.value for r in data.rows if r.measure == "value"}
    by_number = {r[0]: r for r in summary.iter_rows(min_row=4, values_only=True)}
    assert set(by_number) == {e.outline_number for e in data.elements}
    for element in data.elements:
        assert list(by_number[element.outline_number][3:]) == [
            results[(u.pk, element.pk)] for u in data.units
        ]
    assert by_number["1.2.2"][3:] == (3, 3)


def test_every_text_cell_is_text_even_an_error_code_or_a_formula(data):
    sessions = ProgramElement.objects.get(code=SESSIONS)
    teams = ProgramElement.objects.get(code=TEAMS)
    for element in data.elements:
        if element.pk == sessions.pk:
            element.title = "#N/A"
        if element.pk == teams.pk:
            element.title = '=HYPERLINK("http://x","y")'

    book = load_workbook(BytesIO(xlsx.render(data)))

    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "#N/A" in texts and '\'=HYPERLINK("http://x","y")' in texts
    numbers = [c.value for c in cells if c.data_type == "n" and c.value is not None]
    assert numbers and all(isinstance(n, int | float) for n in numbers)


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(data, monkeypatch):
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 6)  # a header and five values a sheet

    book = load_workbook(BytesIO(xlsx.render(data)))

    tables = book.worksheets[1:-1]
    assert len(tables) == -(-len(data.rows) // 5)
    assert tables[1].title.endswith("(2)")
    rows = [r for t in tables for r in t.iter_rows(min_row=2, values_only=True)]
    assert [r[2] for r in rows] == [data_element_code(r.element, r.measure) for r in data.rows]
    assert all(t.max_row <= 6 and t.auto_filter.ref == f"A1:I{t.max_row}" for t in tables)
    assert book.worksheets[-1]["A1"].value == book.worksheets[-1].cell(1, 1).value  # About last


def test_synthetic_rows_stream_through_every_writer(data):
    """The writers' entry points take any iterator of values (the benchmark feeds a million)."""
    unit, child = data.units[0], data.units[1]
    element = data.elements[0]
    cell = Cell("F", True, "adult")

    def rows():
        for shown in (unit, child):
            yield DataValue(shown, element, "value", 4)
            yield DataValue(shown, element, "participants", Decimal("2.50"), cell)

    streamed = json.loads(b"".join(dhis2.chunks(data, (), rows())))
    document = etree.fromstring(b"".join(adx.chunks(data, (), rows())))
    out = BytesIO()
    xlsx.write(out, data, rows())
    table = load_workbook(out).worksheets[1]

    assert [v["value"] for v in streamed["dataValues"]] == ["4", "2.5", "4", "2.5"]
    groups = document.findall(f"{{{NS}}}group")
    assert [g.get("orgUnit") for g in groups] == [org_unit_code(unit), org_unit_code(child)]
    assert [len(g) for g in groups] == [2, 2]
    assert [r[8] for r in table.iter_rows(min_row=2, values_only=True)] == [4, 2.5, 4, 2.5]


def test_a_download_streams_the_file_data_export_writes(client, merged, commune_officer, ba_trang):
    client.force_login(commune_officer)
    url = reverse("reports:data_export", args=["VN-QD124-21520"]) + "?year=2023&format=dhis2"

    response = client.get(url)

    assert response.streaming
    written = data_export(
        actor=commune_officer, unit=ba_trang, period=2023, as_of=D(2023, 12, 31), format="dhis2"
    )
    assert b"".join(response.streaming_content) == written.content
    data = indicator_values(
        actor=commune_officer,
        unit=ba_trang,
        period=2023,
        as_of=D(2023, 12, 31),
        breakdown=Breakdown.CHILDREN,
    )
    extra = extra_values(
        actor=commune_officer,
        unit=ba_trang,
        period=data.period,
        as_of=D(2023, 12, 31),
        children=True,
        data=data,
    )
    assert written.content == _dhis2_reference(data, extra)


def test_a_streamed_workbook_keeps_the_users_language_after_the_view_returned(
    client, merged, commune_officer, settings
):
    client.force_login(commune_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:data_export", args=["VN-QD124-21520"]) + "?year=2023&format=xlsx"

    response = client.get(url)
    with translation.override("vi"):  # the thread's language has moved on by the time it is sent
        content = b"".join(response.streaming_content)

    table = load_workbook(BytesIO(content)).worksheets[1]
    assert table.title == "Data" and table["A1"].value == "Unit code"
