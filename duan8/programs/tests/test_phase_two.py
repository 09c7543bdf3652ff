"""The 2026–2030 program as data (issue 12, point 6): loaded beside phase I, marked unverified
where no source confirms it, linked to phase I by a crosswalk, editable by an administrator."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from duan8.accounts.tests.factories import UserFactory
from duan8.core.models import AuditEvent
from duan8.core.schemas import FileInvalid
from duan8.programs.models import ElementCrosswalk, ProgramElement
from duan8.programs.structure import crosswalk_load, element_in_force

PHASE_ONE = "1719.GD1.DA8"
PHASE_TWO = "MTQG2635.GD1.DA8"


def get(code: str) -> ProgramElement:
    return ProgramElement.objects.get(code=code)


def test_the_2026_2035_program_is_verified_its_gender_component_is_not(program_structure):
    program, phase = get("MTQG2635"), get("MTQG2635.GD1")
    assert (program.start_year, program.end_year, program.verified) == (2026, 2035, True)
    assert (phase.start_year, phase.end_year, phase.verified) == (2026, 2030, True)
    assert "NQ 257/2025/QH15" in program.legal_basis
    provisional = ProgramElement.objects.filter(code__startswith=f"{PHASE_TWO}")
    assert provisional.count() == 12
    assert not provisional.filter(verified=True).exists()
    assert "chưa kiểm chứng" in get(PHASE_TWO).title
    # phase I stays verified, and every link of the crosswalk is provisional
    assert not ProgramElement.objects.filter(code__startswith="1719.", verified=False).exists()
    assert ElementCrosswalk.objects.count() == 12
    assert not ElementCrosswalk.objects.filter(verified=True).exists()


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2020, None), (2021, PHASE_ONE), (2025, PHASE_ONE), (2026, PHASE_TWO), (2030, PHASE_TWO)],
)
def test_the_project_in_force_is_phase_one_to_2025_and_phase_two_from_2026(
    program_structure, year, expected
):
    for start in (PHASE_ONE, PHASE_TWO):
        found = element_in_force(get(start), year)
        assert (found.code if found else None) == expected


def test_an_indicator_follows_the_crosswalk_both_ways(program_structure):
    teams, teams_2026 = get("1719.GD1.DA8.ND1.HD1.1"), get("MTQG2635.GD1.DA8.ND1.1")

    assert element_in_force(teams, 2027) == teams_2026
    assert element_in_force(teams_2026, 2023) == teams
    # an indicator phase II does not carry (yet) has no element in force after 2025
    assert element_in_force(get("1719.GD1.DA8.ND1.HD3.2"), 2026) is None


def _crosswalk(tmp_path: Path, links: list[dict]) -> Path:
    path = tmp_path / "crosswalk.json"
    path.write_text(json.dumps({"format": "duan8.element_crosswalk/1", "links": links}))
    return path


def test_a_bad_crosswalk_is_refused_with_every_problem_and_nothing_saved(
    program_structure, tmp_path
):
    before = list(ElementCrosswalk.objects.values_list("from_element", "to_element"))
    path = _crosswalk(
        tmp_path,
        [
            {"from_element": "1719.GD1.DA8.ND1.HD3.2", "to_element": "MTQG2635.GD1.DA8.ND1"},
            {"from_element": "1719.GD1.DA8.ND9", "to_element": "MTQG2635.GD1.DA8.ND2"},
        ],
    )

    with translation.override("en"), pytest.raises(FileInvalid) as caught:
        crosswalk_load(path=path)

    lines = caught.value.lines()
    assert any("links.1.to_element" in line and "same kind" in line for line in lines), lines
    assert any("links.2.from_element" in line and "1719.GD1.DA8.ND9" in line for line in lines)
    assert list(ElementCrosswalk.objects.values_list("from_element", "to_element")) == before


@pytest.fixture
def admin_user(db):
    return UserFactory.create(username="quantri", is_staff=True, is_superuser=True)


def test_an_administrator_corrects_a_provisional_element_and_it_is_audited(
    client, program_structure, admin_user
):
    element = get(PHASE_TWO)
    url = reverse("admin:programs_programelement_change", args=[element.pk])
    client.force_login(admin_user)
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"parent": element.parent_id, "title": "Dự án 8 (tên chính thức)", "verified": "on"}

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    element.refresh_from_db()
    assert (element.title, element.verified) == ("Dự án 8 (tên chính thức)", True)
    event = AuditEvent.objects.get(action="programs.structure.changed")
    assert event.before["verified"] is False and event.after["verified"] is True


def test_the_structure_admin_is_for_administrators_only(client, program_structure, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("admin:programs_programelement_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_provisional_element_says_so_wherever_it_is_named(program_structure):
    with translation.override("vi"):
        assert str(get("MTQG2635.GD1.DA8.ND1")).endswith("(chưa kiểm chứng)")
        assert "kiểm chứng" not in str(get("1719.GD1.DA8.ND1"))
