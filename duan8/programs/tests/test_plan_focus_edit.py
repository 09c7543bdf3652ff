"""The focus page (section III of a plan) adds and removes contents (issue 12, point 2): a content
leaves only when none of its activities or targets has data; the refusal says why, in
Vietnamese, beside the content."""

import lxml.html
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.core.problems import problems_of
from duan8.core.tests.test_field_partial import missing_pointers
from duan8.programs.models import PlanFocus, ProgramElement, Target
from duan8.programs.plan_edit import FocusInput, plan_focus_set
from duan8.programs.plan_focus import content_data, focus_contents_available


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


ND2 = "1719.GD1.DA8.ND2"
ND3 = "1719.GD1.DA8.ND3"


def _clear(plan, code: str) -> None:
    """No target of the content holds anything (each "-")."""
    Target.objects.filter(plan=plan, element__code__startswith=f"{code}.").update(
        kind=Target.Kind.NONE, value=None, text=""
    )


def _focus(plan, code: str) -> PlanFocus:
    return plan.focuses.get(content__code=code)


def _codes(plan) -> list[str]:
    return list(plan.focuses.order_by("order").values_list("content__code", flat=True))


def test_a_content_without_data_is_removed_and_added_back(ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    _clear(plan, ND2)
    focus = _focus(plan, ND2)

    removed = plan_focus_set(
        plan=plan,
        actor=commune_officer,
        expected_version=plan.version,
        bodies={},
        remove=[focus.pk],
    )

    assert removed and ND2 not in _codes(plan)
    assert [c.code for c in focus_contents_available(plan)] == [ND2]
    plan.refresh_from_db()
    content = ProgramElement.objects.get(code=ND2)
    plan_focus_set(
        plan=plan,
        actor=commune_officer,
        expected_version=plan.version,
        bodies={},
        add=[FocusInput(content=content, body="  - Hỗ trợ mô hình sinh kế  \n\n")],
    )
    assert _codes(plan) == ["1719.GD1.DA8.ND1", ND2, ND3, "1719.GD1.DA8.ND4"]
    assert _focus(plan, ND2).body == "- Hỗ trợ mô hình sinh kế"
    assert AuditEvent.objects.filter(action="programs.plan.focus_changed").count() == 2


def test_a_content_with_data_stays_and_the_refusal_names_the_data(ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    focus = _focus(plan, ND3)
    version = plan.version

    with pytest.raises(ValidationError) as caught:
        plan_focus_set(
            plan=plan, actor=commune_officer, expected_version=version, bodies={}, remove=[focus.pk]
        )

    (problem,) = problems_of(caught.value)
    assert problem.field == f"focuses.{ND3}" and problem.code == "has_data"
    assert "7 targets" in problem.message
    assert ND3 in _codes(plan)
    plan.refresh_from_db()
    assert plan.version == version


def test_events_recorded_under_a_content_keep_it(ba_trang_plan, commune_officer, villages):
    from duan8.activities.models import Event

    plan = ba_trang_plan
    _clear(plan, ND2)
    Event.objects.create(
        plan=plan,
        activity=ProgramElement.objects.get(code=f"{ND2}.HD1"),
        kind="communication",
        title="Hội thảo sinh kế",
        held_on="2023-05-05",
        org_unit=villages["Bùi Hui"],
    )

    assert content_data(plan, ProgramElement.objects.get(code=ND2)) == ["1 event recorded"]


def test_a_content_already_in_the_plan_or_of_another_program_is_not_added(
    ba_trang_plan, commune_officer
):
    plan = ba_trang_plan
    for code in (ND3, "MTQG2635.GD1.DA8.ND1"):
        with pytest.raises(ValidationError) as caught:
            plan_focus_set(
                plan=plan,
                actor=commune_officer,
                expected_version=plan.version,
                bodies={},
                add=[FocusInput(ProgramElement.objects.get(code=code), "- Văn bản")],
            )
        assert [p.field for p in problems_of(caught.value)] == ["focuses.add.content"]


def test_an_old_copy_is_refused(ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    _clear(plan, ND2)
    shown_at = plan.version
    plan_focus_set(
        plan=plan,
        actor=commune_officer,
        expected_version=shown_at,
        bodies={_focus(plan, ND3).pk: "- Văn bản mới"},
    )

    with pytest.raises(EditConflict):
        plan_focus_set(
            plan=plan,
            actor=commune_officer,
            expected_version=shown_at,
            bodies={},
            remove=[_focus(plan, ND2).pk],
        )

    assert ND2 in _codes(plan)


def test_a_reader_may_not_remove_a_content(ba_trang_plan, fatherland_front):
    plan = ba_trang_plan
    _clear(plan, ND2)

    with pytest.raises(PermissionDenied):
        plan_focus_set(
            plan=plan,
            actor=fatherland_front,
            expected_version=plan.version,
            bodies={},
            remove=[_focus(plan, ND2).pk],
        )

    assert ND2 in _codes(plan)


# --- the page ----------------------------------------------------------------------------------


def _url(plan) -> str:
    return reverse("programs:plan_focus_edit", kwargs={"pk": plan.pk})


def _posted(plan, **extra) -> dict:
    data = {"version": plan.version}
    for focus in plan.focuses.all():
        data[f"focus-{focus.pk}"] = focus.body
    data.update(extra)
    return data


def test_the_page_refuses_beside_the_content(client, ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    focus = _focus(plan, ND3)
    client.force_login(commune_officer)
    client.cookies["django_language"] = "en"

    response = client.post(_url(plan), _posted(plan, **{f"remove-{focus.pk}": "on"}))

    assert response.status_code == 200
    field = lxml.html.fromstring(response.content).get_element_by_id(f"id_focus-{focus.pk}")
    errors = " ".join(field.getparent().xpath(".//p[@class='field-error']/text()"))
    assert "Nội dung 3 cannot be removed" in errors and "7 targets" in errors
    assert ND3 in _codes(plan)
    # what a screen reader is sent to from each field (aria-describedby) is on the page
    assert missing_pointers(response.content.decode()) == []


def test_the_refusal_has_its_vietnamese_words():
    """The page shows it in Vietnamese once the catalogue is compiled (``compilemessages``)."""
    catalogue = (settings.BASE_DIR / "duan8/locale/vi/LC_MESSAGES/django.po").read_text("utf-8")
    entries = catalogue.replace('"\n"', "").split("\n\n")  # each entry, its lines joined

    (refusal,) = [e for e in entries if "s cannot be removed from the plan: its" in e]

    assert "không thể bỏ khỏi kế hoạch" in refusal


def test_the_page_removes_then_adds_a_content(client, ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    _clear(plan, ND2)
    focus = _focus(plan, ND2)
    client.force_login(commune_officer)

    removed = client.post(_url(plan), _posted(plan, **{f"remove-{focus.pk}": "on"}))

    assert removed.status_code == 302 and ND2 not in _codes(plan)
    plan.refresh_from_db()
    page = client.get(_url(plan))
    options = lxml.html.fromstring(page.content).xpath("//select[@name='add_content']/option")
    content = ProgramElement.objects.get(code=ND2)
    assert [o.get("value") for o in options] == ["", str(content.pk)]
    added = client.post(
        _url(plan), _posted(plan, add_content=content.pk, add_body="- Mô hình sinh kế")
    )
    assert added.status_code == 302 and _focus(plan, ND2).body == "- Mô hình sinh kế"


def test_a_text_without_its_content_is_refused(client, ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    _clear(plan, ND2)
    plan_focus_set(
        plan=plan,
        actor=commune_officer,
        expected_version=plan.version,
        bodies={},
        remove=[_focus(plan, ND2).pk],
    )
    plan.refresh_from_db()
    client.force_login(commune_officer)

    response = client.post(_url(plan), _posted(plan, add_body="- Văn bản không có nội dung"))

    assert response.status_code == 200 and response.context["form"].errors["add_content"]
    assert ND2 not in _codes(plan)


def test_a_reader_may_not_post_and_another_commune_gets_404(
    client, ba_trang_plan, fatherland_front, other_commune_officer
):
    plan = ba_trang_plan
    _clear(plan, ND2)
    focus = _focus(plan, ND2)
    data = _posted(plan, **{f"remove-{focus.pk}": "on"})

    client.force_login(fatherland_front)
    assert client.post(_url(plan), data).status_code == 403
    client.force_login(other_commune_officer)
    assert client.post(_url(plan), data).status_code == 404

    assert ND2 in _codes(plan)
