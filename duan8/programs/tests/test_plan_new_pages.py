"""The “New plan” page and the ``plan_new`` command (issue 12, points 1 and 8)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.urls import reverse

from duan8.core.tests.test_field_partial import missing_pointers
from duan8.programs.models import Plan


def _url(unit) -> str:
    return reverse("programs:plan_new", kwargs={"pk": unit.pk})


def test_the_unit_page_links_to_the_new_plan_page_for_an_editor(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)

    page = client.get(reverse("orgunits:unit_detail", kwargs={"pk": ba_trang_plan.issuing_unit.pk}))

    assert _url(ba_trang_plan.issuing_unit) in page.content.decode()


def test_the_page_creates_the_draft_once_and_goes_to_it(client, ba_trang_plan, commune_officer):
    client.force_login(commune_officer)
    unit = ba_trang_plan.issuing_unit
    form = client.get(_url(unit))
    key = form.context["form"]["once"].value()
    posted = {"year": "2024", "source": "previous", "carry_targets": "on", "once": key}

    first = client.post(_url(unit), posted)
    second = client.post(_url(unit), posted)

    plan = Plan.objects.get(issuing_unit=unit, year=2024)
    assert form.status_code == 200 and form.context["form"]["year"].value() == 2024
    assert first.status_code == 302 and first["Location"] == reverse(
        "programs:plan_detail", kwargs={"pk": plan.pk}
    )
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert plan.targets.count() == ba_trang_plan.targets.count()
    shown = client.get(first["Location"])
    assert shown.status_code == 200 and "2024" in shown.content.decode()


def test_an_empty_draft_opens_with_its_villages_and_its_editors(
    client, program_structure, ba_trang, villages, commune_officer
):
    client.force_login(commune_officer)

    created = client.post(_url(ba_trang), {"year": "2024", "source": "empty"})
    plan = Plan.objects.get(issuing_unit=ba_trang, year=2024)
    detail = client.get(created["Location"]).content.decode()
    allocation = client.get(reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}))
    targets = client.get(reverse("programs:plan_targets_edit", kwargs={"pk": plan.pk}))

    assert all(name in detail for name in villages)
    assert allocation.status_code == 200 and targets.status_code == 200


def test_a_second_draft_is_refused_on_the_page_with_a_link_to_the_first(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)
    unit = ba_trang_plan.issuing_unit

    page = client.post(_url(unit), {"year": "2023", "source": "empty"})

    assert page.status_code == 400
    assert "year" in page.context["form"].errors
    assert reverse("programs:plan_detail", kwargs={"pk": ba_trang_plan.pk}) in page.content.decode()
    assert missing_pointers(page.content.decode()) == []  # aria-describedby leads to the message
    assert Plan.objects.filter(issuing_unit=unit).count() == 1


def test_another_communes_officer_gets_404_and_a_reader_403(
    client, ba_trang_plan, other_commune_officer, commune_leader
):
    unit = ba_trang_plan.issuing_unit
    client.force_login(other_commune_officer)
    assert client.get(_url(unit)).status_code == 404
    assert client.post(_url(unit), {"year": "2024", "source": "previous"}).status_code == 404
    client.force_login(commune_leader)
    assert client.post(_url(unit), {"year": "2024", "source": "previous"}).status_code == 403
    assert Plan.objects.filter(year=2024).count() == 0


def test_the_command_prints_what_it_created_and_plan_export_writes_it(ba_trang_plan, tmp_path):
    out = StringIO()

    call_command("plan_new", "--unit", "21520", "--year", "2024", "--from-previous", stdout=out)
    docx = Path(tmp_path) / "ke_hoach_2024.docx"
    exported = StringIO()
    call_command(
        "plan_export", "--unit", "21520", "--year", "2024", "-o", str(docx), stdout=exported
    )

    plan = Plan.objects.get(issuing_unit=ba_trang_plan.issuing_unit, year=2024)
    assert "2024" in out.getvalue() and "87/KH-UBND" in out.getvalue()
    assert reverse("programs:plan_detail", kwargs={"pk": plan.pk}) in out.getvalue()
    assert docx.read_bytes()[:2] == b"PK"


def test_the_command_refuses_with_the_problems_and_a_non_zero_status(ba_trang_plan):
    with pytest.raises(CommandError) as again:
        call_command("plan_new", "--unit", "21520", "--year", "2023", "--empty")
    with pytest.raises(CommandError) as assigned:
        call_command("plan_new", "--unit", "21520", "--year", "2024", "--from-assigned")

    assert "87/KH-UBND" in str(again.value)
    assert "Ba Trang" in str(assigned.value) and "2024" in str(assigned.value)  # nothing assigned
    assert Plan.objects.count() == 1


def test_the_command_exits_non_zero_from_the_shell(ba_trang_plan, capsys):
    utility = ManagementUtility(
        ["duan8", "plan_new", "--unit", "21520", "--year", "2024", "--from-assigned"]
    )

    with pytest.raises(SystemExit) as exit_status:
        utility.execute()

    assert exit_status.value.code != 0
    assert "Ba Trang" in capsys.readouterr().err
