"""No lost updates: of two saves made on the same copy of a plan, the second is refused.

The first test runs two real transactions on two database connections at the same time (on
PostgreSQL the second UPDATE waits on the row lock; on SQLite on the write lock).
"""

import threading

import pytest
from django.db import connection, transaction

from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.programs.services import TargetInput, targets_set

TEAMS = "1719.GD1.DA8.ND1.HD1.1"
CAMPAIGN = "1719.GD1.DA8.ND1.HD2.1"


def _item(code: str, value: str) -> TargetInput:
    element = ProgramElement.objects.get(code=code)
    return TargetInput(element=element, scope=Target.Scope.COMMUNE, kind="number", value=value)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_roles_again")  # another transactional test may have run first
def test_two_concurrent_saves_on_the_same_copy_keep_the_first_and_refuse_the_second(
    ba_trang_plan, commune_officer
):
    copy_version = ba_trang_plan.version
    first_item, second_item = _item(TEAMS, "2"), _item(CAMPAIGN, "5")
    first_has_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                plan = Plan.objects.get(pk=ba_trang_plan.pk)
                targets_set(
                    plan=plan,
                    items=[first_item],
                    actor=commune_officer,
                    expected_version=copy_version,
                )
                first_has_written.set()
                threading.Event().wait(0.5)  # hold the transaction open while the second tries
            outcome["first"] = "saved"
        finally:
            first_has_written.set()
            connection.close()

    def second() -> None:
        first_has_written.wait(5)
        try:
            plan = Plan.objects.get(pk=ba_trang_plan.pk)
            plan.version = copy_version  # the second user loaded the same copy
            targets_set(
                plan=plan,
                items=[second_item],
                actor=commune_officer,
                expected_version=copy_version,
            )
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], EditConflict)
    campaign = Target.objects.get(plan=ba_trang_plan, element__code=CAMPAIGN, scope="commune")
    assert campaign.value == 1
    teams = Target.objects.get(plan=ba_trang_plan, element__code=TEAMS, scope="commune")
    assert teams.value == 2


def test_the_refusal_shows_what_the_other_person_changed(ba_trang_plan, commune_officer):
    copy_version = ba_trang_plan.version
    targets_set(
        plan=ba_trang_plan,
        items=[_item(CAMPAIGN, "3")],
        actor=commune_officer,
        expected_version=copy_version,
    )

    with pytest.raises(EditConflict) as conflict:
        targets_set(
            plan=ba_trang_plan,
            items=[_item(TEAMS, "4")],
            actor=commune_officer,
            expected_version=copy_version,
        )

    text = "\n".join(conflict.value.messages)
    assert commune_officer.username in text
    assert "“01” → “03”" in text
    assert "Hoạt động 2" in text or "Activity 2" in text
    assert not Target.objects.filter(plan=ba_trang_plan, element__code=TEAMS, value=4).exists()
    assert AuditEvent.objects.filter(action="programs.targets.changed").count() == 1


def test_a_save_on_the_current_copy_goes_through_and_raises_the_version(
    ba_trang_plan, commune_officer
):
    copy_version = ba_trang_plan.version

    targets_set(
        plan=ba_trang_plan,
        items=[_item(CAMPAIGN, "2")],
        actor=commune_officer,
        expected_version=copy_version,
    )

    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.version == copy_version + 1
