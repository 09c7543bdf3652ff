"""Overdue recommendations in the reminders: on the home page and in ``duan8 send_reminders``
(settings.REMINDER_SOURCES), to the responsible unit and to the supervisor, nobody else."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from duan8.supervision.follow_up import recommendation_create
from duan8.supervision.tests.conftest import DAY

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AFTER_DEADLINE = datetime.datetime(2024, 1, 10, 8, tzinfo=TZ)
TEXT = "Niêm yết công khai danh sách người được cử tham gia tập huấn"


def _recommend(world):
    return recommendation_create(
        actor=world.mttq,
        session=world.session,
        text=TEXT,
        addressee=world.commune,
        addressee_body="UBND xã",
        due_on=datetime.date(2023, 12, 31),
        today=DAY,
    )


def test_the_home_page_reminds_the_addressee_and_the_supervisor_of_an_overdue_recommendation(
    client, world
):
    _recommend(world)
    link = reverse("supervision:session_detail", args=[world.session.pk]) + "#recommendations"

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        for user in (world.leader, world.mttq):
            client.force_login(user)
            page = client.get(reverse("home")).content.decode()
            assert TEXT in page and link in page, user
        client.force_login(world.other)
        other_page = client.get(reverse("home")).content.decode()

    assert TEXT not in other_page


def test_nothing_is_reminded_before_the_deadline(client, world):
    _recommend(world)
    client.force_login(world.leader)

    with time_machine.travel(datetime.datetime(2023, 12, 20, 8, tzinfo=TZ), tick=False):
        page = client.get(reverse("home")).content.decode()

    assert TEXT not in page


def test_send_reminders_e_mails_the_overdue_recommendation(world, settings):
    settings.SITE_URL = "https://duan8.example.gov.vn"
    _recommend(world)
    world.leader.email = "ct@example.vn"
    world.leader.save(update_fields=["email"])
    world.other.email = "bakham@example.vn"
    world.other.save(update_fields=["email"])

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        call_command("send_reminders", "--days", "7", stdout=StringIO())

    to_leader = [m for m in mail.outbox if m.to == ["ct@example.vn"]]
    assert len(to_leader) == 1
    assert TEXT in to_leader[0].body
    url = reverse("supervision:session_detail", args=[world.session.pk])
    assert f"https://duan8.example.gov.vn{url}#recommendations" in to_leader[0].body
    assert all(TEXT not in m.body for m in mail.outbox if m.to == ["bakham@example.vn"])
