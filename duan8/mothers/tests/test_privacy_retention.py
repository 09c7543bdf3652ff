"""Retention (issue 13, point 5; docs/personal-data.md): records whose last decision or payment
is older than the retention period are anonymised; counts and amounts stay."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from duan8.core.models import AuditEvent
from duan8.mothers.models import AntenatalVisit, Child, Mother, Payment, Pregnancy
from duan8.mothers.services.privacy import ANONYMOUS_NAME, mothers_retention
from duan8.mothers.tests.privacy_cases import ID_NUMBER, case_make, case_pay

D = datetime.date
LONG_AGO = datetime.datetime(2013, 5, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cases(mothers_world):
    group = mothers_world.ethnic_groups["19"]
    old = case_make(
        village=mothers_world.village,
        ethnic_group=group,
        id_number=ID_NUMBER,
        delivered_on=D(2012, 8, 20),
        status=Pregnancy.Status.APPROVED,
    )
    case_pay(old, by=mothers_world.accountant, amount=2_400_000, on=D(2013, 1, 15))
    recent = case_make(
        village=mothers_world.village,
        ethnic_group=group,
        name="Hồ Thị Mai",
        delivered_on=D(2024, 3, 1),
        status=Pregnancy.Status.APPROVED,
    )
    case_pay(recent, by=mothers_world.accountant, amount=2_200_000, on=D(2024, 4, 1))
    # the old record was last touched long ago (the rows above were written today)
    Mother.objects.filter(pk=old.mother_id).update(updated_at=LONG_AGO)
    Pregnancy.objects.filter(pk=old.pk).update(updated_at=LONG_AGO, approved_at=LONG_AGO)
    return old, recent


def test_a_record_past_the_period_is_anonymised_and_its_amounts_kept(cases):
    old, recent = cases

    result = mothers_retention(years=10)

    assert result.mothers == [old.mother_id]
    mother = Mother.objects.get(pk=old.mother_id)
    assert mother.full_name == ANONYMOUS_NAME
    assert (mother.id_number, mother.id_number_index, mother.phone) == ("", "", "")
    assert (mother.birth_date, mother.birth_year) == (None, 1998)
    assert mother.anonymised_on == timezone.localdate()
    case = Pregnancy.objects.get(pk=old.pk)
    assert (case.facility, case.mode, case.place, case.carer_name) == ("", "", "", "")
    assert (case.expected_on, case.babies, case.days_at_facility) == (None, None, None)
    assert case.delivered_on == D(2012, 1, 1)
    assert case.status == Pregnancy.Status.APPROVED
    assert not AntenatalVisit.objects.filter(pregnancy=old).exists()
    assert Child.objects.get(pregnancy=old).born_on == D(2012, 1, 1)
    assert Payment.objects.get(entry__pregnancy=old).amount == Decimal(2_400_000)
    kept = Mother.objects.get(pk=recent.mother_id)
    assert kept.full_name == "Hồ Thị Mai" and kept.anonymised_on is None


def test_anonymising_is_audited_without_her_values(cases):
    old, _ = cases

    mothers_retention(years=10)

    event = AuditEvent.objects.get(action="mothers.mother.anonymised")
    assert event.target_id == str(old.mother_id)
    assert event.target_repr == ANONYMOUS_NAME
    assert event.org_unit_id == old.commune_id
    assert "Lan" not in f"{event.before} {event.after} {event.message}"


def test_retention_is_safe_to_repeat(cases):
    mothers_retention(years=10)

    again = mothers_retention(years=10)

    assert again.count == 0
    assert AuditEvent.objects.filter(action="mothers.mother.anonymised").count() == 1


def test_a_longer_period_keeps_the_record(cases):
    assert mothers_retention(years=20).count == 0
    assert Mother.objects.filter(anonymised_on__isnull=False).count() == 0


def test_the_dry_run_changes_nothing(cases):
    old, _ = cases
    out = io.StringIO()

    call_command("mothers_retention", "--dry-run", stdout=out)

    assert "1 records would be anonymised" in out.getvalue()
    assert Mother.objects.get(pk=old.mother_id).full_name == "Đinh Thị Lan"
    assert not AuditEvent.objects.filter(action="mothers.mother.anonymised").exists()


def test_the_command_reads_the_period_from_the_setting(cases, settings):
    settings.MOTHERS_RETENTION_YEARS = 20
    out = io.StringIO()

    call_command("mothers_retention", stdout=out)

    assert "0 records anonymised" in out.getvalue()
    call_command("mothers_retention", "--years", "10", stdout=out)
    assert Mother.objects.filter(anonymised_on__isnull=False).count() == 1


def test_a_recent_payment_keeps_an_old_record(cases, mothers_world):
    old, _ = cases
    case_pay_again = Payment.objects.get(entry__pregnancy=old)
    Payment.objects.create(
        entry=case_pay_again.entry,
        paid_on=D(2022, 1, 5),
        amount=Decimal(-100_000),
        paid_by=mothers_world.accountant,
        payer_unit=old.commune,
        reverses=case_pay_again,
        reason="Điều chỉnh",
    )

    assert mothers_retention(years=10).count == 0
