"""Discarding a draft amendment (issue 12, point 4): the draft goes, the approved plan stays in
force; version-checked, audited, only by who may write the plan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import Event
from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.programs.amendments import plan_amend, plan_amendment_discard, plan_in_force
from duan8.programs.models import Plan, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.services import plan_approve


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


DAY = datetime.date(2023, 11, 1)


@pytest.fixture
def approved(ba_trang_plan, commune_leader):
    return plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )


@pytest.fixture
def draft(approved, commune_officer):
    return plan_amend(
        actor=commune_officer, plan=approved, reason="Tăng số lớp tập huấn", in_force_from=DAY
    )


def _url(plan: Plan) -> str:
    return reverse("programs:plan_amendment_discard", kwargs={"pk": plan.pk})


def test_discard_deletes_the_draft_and_keeps_the_approved_plan_in_force(
    approved, draft, commune_officer
):
    targets_before = list(approved.targets.values_list("element_id", "scope", "value"))

    result = plan_amendment_discard(
        actor=commune_officer, plan=draft, expected_version=draft.version
    )

    assert result == approved
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert not Target.objects.filter(plan_id=draft.pk).exists()
    approved.refresh_from_db()
    assert approved.status == Plan.Status.APPROVED
    assert list(approved.targets.values_list("element_id", "scope", "value")) == targets_before
    assert plan_in_force(plan_or_chain=approved, on=datetime.date(2023, 12, 31)) == approved
    event = AuditEvent.objects.get(action="programs.plan.amendment_discarded")
    assert event.target_id == str(draft.pk) and event.actor == commune_officer
    assert event.before["reason"] == "Tăng số lớp tập huấn"


def test_a_new_amendment_can_be_started_after_a_discard(approved, draft, commune_officer):
    plan_amendment_discard(actor=commune_officer, plan=draft, expected_version=draft.version)

    again = plan_amend(actor=commune_officer, plan=approved, reason="Lý do khác", in_force_from=DAY)

    assert again.amends == approved and again.status == Plan.Status.DRAFT


def test_discard_from_an_old_copy_is_refused(draft, commune_officer):
    shown_at = draft.version
    plan_update(plan=draft, actor=commune_officer, expected_version=draft.version, number=121)

    with pytest.raises(EditConflict):
        plan_amendment_discard(actor=commune_officer, plan=draft, expected_version=shown_at)

    assert Plan.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(action="programs.plan.amendment_discarded").exists()


def test_only_a_draft_amendment_is_discarded(approved, ba_trang_plan, commune_officer):
    with pytest.raises(ValidationError) as caught:
        plan_amendment_discard(
            actor=commune_officer, plan=approved, expected_version=approved.version
        )

    assert "Only a draft amendment can be discarded" in " ".join(caught.value.messages)
    assert Plan.objects.filter(pk=approved.pk, status=Plan.Status.APPROVED).exists()


def test_a_draft_with_records_is_not_discarded(draft, commune_officer, villages):
    Event.objects.create(
        plan=draft,
        activity=draft.targets.select_related("element").first().element,
        kind="communication",
        title="Truyền thông",
        held_on=datetime.date(2023, 11, 20),
        org_unit=villages["Bùi Hui"],
    )

    with pytest.raises(ValidationError) as caught:
        plan_amendment_discard(actor=commune_officer, plan=draft, expected_version=draft.version)

    assert "Records" in " ".join(caught.value.messages)
    assert Plan.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(action="programs.plan.amendment_discarded").exists()


def test_a_reader_may_not_discard(draft, fatherland_front):
    with pytest.raises(PermissionDenied):
        plan_amendment_discard(actor=fatherland_front, plan=draft, expected_version=draft.version)

    assert Plan.objects.filter(pk=draft.pk).exists()


# --- the page ----------------------------------------------------------------------------------


def test_the_officer_discards_from_the_plan_page(client, approved, draft, commune_officer):
    client.force_login(commune_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": draft.pk})).content.decode()
    assert _url(draft) in page

    response = client.post(_url(draft), {"version": draft.version}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "programs:plan_detail", kwargs={"pk": approved.pk}
    )
    assert "stays in force" in response.content.decode()
    assert not Plan.objects.filter(pk=draft.pk).exists()


def test_the_approved_plan_page_offers_no_discard(client, approved, commune_officer):
    client.force_login(commune_officer)

    page = client.get(reverse("programs:plan_detail", kwargs={"pk": approved.pk}))

    assert _url(approved) not in page.content.decode()


def test_a_get_does_not_discard(client, draft, commune_officer):
    client.force_login(commune_officer)

    assert client.get(_url(draft)).status_code == 405
    assert Plan.objects.filter(pk=draft.pk).exists()


def test_a_reader_sees_no_button_and_may_not_post(client, draft, fatherland_front):
    client.force_login(fatherland_front)
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": draft.pk}))
    assert page.status_code == 200 and _url(draft) not in page.content.decode()

    response = client.post(_url(draft), {"version": draft.version})

    assert response.status_code == 403
    assert Plan.objects.filter(pk=draft.pk).exists()


def test_another_communes_officer_gets_404(client, draft, other_commune_officer):
    client.force_login(other_commune_officer)

    response = client.post(_url(draft), {"version": draft.version})

    assert response.status_code == 404
    assert Plan.objects.filter(pk=draft.pk).exists()


def test_a_stale_page_is_told_to_reload(client, draft, commune_officer):
    client.force_login(commune_officer)
    client.cookies["django_language"] = "en"

    response = client.post(_url(draft), {"version": draft.version - 1}, follow=True)

    assert "reload the page" in response.content.decode()
    assert Plan.objects.filter(pk=draft.pk).exists()
