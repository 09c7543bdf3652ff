"""Key rotation (issue 13, point 5; docs/personal-data.md): rows written under an old key read
back under the new key alone after ``duan8 rotate_field_keys``, and the ID's blind index still
finds her."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from duan8.mothers import crypto
from duan8.mothers.models import AntenatalVisit, Mother, Pregnancy
from duan8.mothers.names import normalise_id
from duan8.mothers.tests.privacy_cases import FACILITY, ID_NUMBER, case_make


@pytest.fixture
def use_keys(monkeypatch):
    def use(*keys: bytes) -> None:
        monkeypatch.setenv("DUAN8_FIELD_KEYS", ",".join(k.decode() for k in keys))
        monkeypatch.delenv("DUAN8_FIELD_KEYS_FILE", raising=False)
        crypto.field_keys.cache_clear()

    yield use
    crypto.field_keys.cache_clear()


def _stored_id(pk: int) -> str:
    table = Mother._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_rotation_moves_every_value_to_the_new_key(use_keys, mothers_world):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    use_keys(old)
    case = case_make(
        village=mothers_world.village,
        ethnic_group=mothers_world.ethnic_groups["19"],
        id_number=ID_NUMBER,
    )
    without_id = case_make(
        village=mothers_world.village, ethnic_group=mothers_world.ethnic_groups["19"], name="Y Hoa"
    )
    before = _stored_id(case.mother_id)

    use_keys(new, old)
    out = io.StringIO()
    call_command("rotate_field_keys", "--batch", "1", stdout=out)
    use_keys(new)

    assert "mothers.mother: 2 rows" in out.getvalue()
    assert _stored_id(case.mother_id) != before
    mother = Mother.objects.get(pk=case.mother_id)
    assert mother.id_number == ID_NUMBER
    pregnancy = Pregnancy.objects.get(pk=case.pk)
    assert (pregnancy.facility, pregnancy.mode, pregnancy.days_at_facility) == (
        FACILITY,
        "caesarean",
        5,
    )
    assert AntenatalVisit.objects.get(pregnancy=case).facility == FACILITY
    index = crypto.blind_index(normalise_id(ID_NUMBER))
    assert list(Mother.objects.filter(id_number_index=index)) == [mother]
    assert Mother.objects.get(pk=without_id.mother_id).id_number_index == ""


def test_rotation_is_safe_to_run_again(use_keys, mothers_world):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    use_keys(old)
    case = case_make(
        village=mothers_world.village,
        ethnic_group=mothers_world.ethnic_groups["19"],
        id_number=ID_NUMBER,
    )
    use_keys(new, old)
    call_command("rotate_field_keys", stdout=io.StringIO())
    use_keys(new)

    call_command("rotate_field_keys", stdout=io.StringIO())

    assert Mother.objects.get(pk=case.mother_id).id_number == ID_NUMBER
    index = crypto.blind_index(normalise_id(ID_NUMBER))
    assert Mother.objects.filter(id_number_index=index).count() == 1


def test_without_rotation_the_old_rows_cannot_be_read_under_the_new_key_alone(
    use_keys, mothers_world
):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    use_keys(old)
    case = case_make(
        village=mothers_world.village,
        ethnic_group=mothers_world.ethnic_groups["19"],
        id_number=ID_NUMBER,
    )
    use_keys(new)

    with pytest.raises(ImproperlyConfigured):
        Mother.objects.get(pk=case.mother_id)
