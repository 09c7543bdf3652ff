"""No lost updates on the plan's text: two saves made on the same copy at the same time, on two
database connections (run on PostgreSQL too): the first is kept, the second refused and told
what the first changed; nothing of the second is written."""

import threading

import pytest
from django.db import connection, transaction

from duan8.core.concurrency import EditConflict
from duan8.programs.models import Plan
from duan8.programs.plan_edit import (
    ResponsibilityInput,
    plan_responsibilities_set,
    plan_texts_update,
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_roles_again")  # another transactional test may have run first
def test_two_concurrent_text_edits_on_the_same_copy_keep_the_first_and_refuse_the_second(
    ba_trang_plan, commune_officer
):
    copy_version = ba_trang_plan.version
    agencies = list(ba_trang_plan.responsibilities.values_list("agency", flat=True))
    first_has_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                plan = Plan.objects.get(pk=ba_trang_plan.pk)
                plan_texts_update(
                    plan=plan,
                    actor=commune_officer,
                    expected_version=copy_version,
                    changes={"signer_name": "Nguyễn Văn Mới"},
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
            plan_responsibilities_set(
                plan=plan,
                actor=commune_officer,
                expected_version=copy_version,
                items=[ResponsibilityInput("Công an xã", "- Phối hợp")],
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
    assert "Nguyễn Văn Mới" in " ".join(outcome["second"].messages)
    plan = Plan.objects.get(pk=ba_trang_plan.pk)
    assert plan.signer_name == "Nguyễn Văn Mới" and plan.version == copy_version + 1
    assert list(plan.responsibilities.values_list("agency", flat=True)) == agencies
