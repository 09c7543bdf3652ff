"""The audit trail shows a mother's name only to readers of the registry (``mothers.view`` on
her commune): the commune leader, who approves the list, reads it; the Fatherland Front, which
reads the trail to supervise, and a reader holding ``records.personal`` (the right to the names of
event participants) but not ``mothers.view``, see it masked."""

from django.urls import reverse
from django.utils import translation

from duan8.accounts.models import Role
from duan8.accounts.permissions import AUDIT_VIEW, PLANS_VIEW, RECORDS_PERSONAL, RECORDS_VIEW
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.trail.labels import action_label

NAME = "Đinh Thị Lan"


def _trail(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("trail:audit_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_reads_the_mothers_name_in_the_trail(client, mothers_world, proposed_case):
    assert NAME in _trail(client, mothers_world.leader)


def test_the_fatherland_front_does_not(client, mothers_world, proposed_case):
    page = _trail(client, mothers_world.fatherland_front)

    with translation.override("vi"):
        label = str(action_label("mothers.case.proposed"))
    assert label in page  # the entry is listed, her name is not
    assert NAME not in page


def test_the_right_to_participants_names_is_not_the_right_to_mothers_names(
    client, mothers_world, proposed_case
):
    Role.objects.create(
        code="participants_auditor",
        name="Participants auditor",
        permissions=[PLANS_VIEW, RECORDS_VIEW, RECORDS_PERSONAL, AUDIT_VIEW],
    )
    reader = UserFactory()
    membership(reader, mothers_world.commune, "participants_auditor")

    assert NAME not in _trail(client, reader)
