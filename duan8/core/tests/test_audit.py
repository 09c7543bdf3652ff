from decimal import Decimal

import pytest
from django.contrib.auth import authenticate

from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.orgunits.services import village_create


def test_creating_a_village_is_recorded_with_who_and_what(commune_officer, ba_trang):
    village = village_create(commune=ba_trang, name="Thôn Gò Khế", actor=commune_officer)

    event = AuditEvent.objects.get(action="orgunits.village.created")
    assert event.actor == commune_officer
    assert event.target_id == str(village.pk)
    assert event.after["name"] == "Thôn Gò Khế"
    assert event.org_unit == village


def test_audit_events_cannot_be_changed_or_deleted(commune_officer, ba_trang):
    event = audit.record(actor=commune_officer, action="test.action", target=ba_trang)

    event.message = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(message="sửa")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).message == ""


def test_a_failed_login_is_recorded_with_the_name_tried(db):
    assert authenticate(username="khong-co", password="sai") is None

    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.actor is None
    assert event.actor_name == "khong-co"


def test_changes_lists_only_fields_that_differ():
    assert audit.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": (2, 3),
        "c": (None, 4),
    }


def test_an_amount_is_stored_as_its_figures_never_in_scientific_notation():
    assert audit.plain(Decimal("200000")) == "200000"
    assert audit.plain(Decimal("2200000.00")) == "2200000"
    assert audit.plain(Decimal("12.50")) == "12.50"
