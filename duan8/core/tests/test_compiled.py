"""Reads whose SQL is built once a process (``core.compiled``): they answer what the queryset
answers, in one query, with the related rows; the SQL is built once for each shape of arguments;
a read whose arguments a lookup changes is refused instead of run wrong."""

import datetime

import pytest
from django.db.models import Count, Q

from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> list[OrgUnit]:
    province = make_unit(code="P1", name="Quảng Ngãi", level=1, kind="tinh", valid_to=None)
    communes = [
        make_unit(code=f"C{n}", name=f"Xã {n}", level=3, kind="xa", parent=province, valid_to=None)
        for n in range(1, 4)
    ]
    return [province, *communes]


def counting(build):  # type: ignore[no-untyped-def]
    calls = []

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return build(*args)

    return counted, calls


def fields(unit: OrgUnit) -> dict[str, object]:
    return {f.attname: getattr(unit, f.attname) for f in OrgUnit._meta.concrete_fields}


def test_a_compiled_read_answers_what_the_queryset_answers(units, django_assert_num_queries):
    commune = units[1]
    read = Compiled(
        lambda pk: OrgUnit.objects.filter(pk=pk, level__gte=3).select_related("parent")[:1]
    )

    with django_assert_num_queries(1):
        found = read.first(commune.pk)
        parent = found.parent

    expected = OrgUnit.objects.select_related("parent").get(pk=commune.pk)
    assert fields(found) == fields(expected)
    assert fields(parent) == fields(expected.parent)
    assert found.valid_from is None and parent.name == "Quảng Ngãi"
    assert found._state.adding is False and found._state.db == "default"


def test_the_constants_of_the_query_still_apply(units):
    read = Compiled(lambda pk: OrgUnit.objects.filter(pk=pk, level__gte=3)[:1])

    assert read.first(units[0].pk) is None  # the province is below level 3
    assert read.first(units[2].pk).code == "C2"


def test_an_unknown_or_out_of_range_id_finds_nothing(units):
    read = Compiled(lambda pk: OrgUnit.objects.filter(pk=pk)[:1])

    assert read.first(987_654) is None
    assert read.first(10**30) is None
    assert read(-1) == []


def test_the_sql_is_built_once_a_shape(units):
    build, calls = counting(lambda codes: OrgUnit.objects.filter(code__in=codes).order_by("code"))
    read = Compiled(build)

    assert [u.code for u in read(["C1", "C3"])] == ["C1", "C3"]
    assert [u.code for u in read(["C2", "P1"])] == ["C2", "P1"]
    built_for_two = len(calls)
    assert [u.code for u in read(["C1", "C2", "C3"])] == ["C1", "C2", "C3"]
    assert [u.code for u in read(["C3", "C2", "C1"])] == ["C1", "C2", "C3"]

    assert built_for_two == 2  # traced twice, with two sets of stand-ins, then kept
    assert len(calls) == 4  # and once more for three codes


def test_an_empty_list_finds_nothing_without_a_query(units, django_assert_num_queries):
    read = Compiled(lambda codes: OrgUnit.objects.filter(code__in=codes))

    with django_assert_num_queries(0):
        assert read([]) == []
    assert [u.code for u in read(["P1"])] == ["P1"]


def test_an_argument_a_lookup_changes_is_refused(units):
    read = Compiled(lambda part: OrgUnit.objects.filter(name__contains=part))

    with pytest.raises(ValueError, match="changed by their lookups"):
        read("Xã")


def test_a_prefix_finds_what_startswith_finds_and_is_escaped(units):
    province, c1 = units[0], units[1]
    read = Compiled(
        lambda prefixes: OrgUnit.objects.filter(
            Q(path__startswith=prefixes[0]) | Q(path__startswith=prefixes[1]), level=3
        ).order_by("code")
    )

    assert [u.code for u in read([province.path, "/none/"])] == ["C1", "C2", "C3"]
    assert [u.code for u in read([c1.path, units[2].path])] == ["C1", "C2"]
    # LIKE's wildcards in an argument are characters, not patterns, as in the ORM.
    assert read(["%", "_"]) == []
    assert list(OrgUnit.objects.filter(path__startswith="%")) == []


def test_values_list_answers_tuples_in_the_order_asked(units, django_assert_num_queries):
    read = Compiled(
        lambda level: (
            OrgUnit.objects.filter(level=level)
            .annotate(n=Count("children"))
            .order_by("code")
            .values_list("name", "code", "n")
        )
    )
    codes = Compiled(
        lambda level: OrgUnit.objects.filter(level=level).values_list("code", flat=True)
    )

    with django_assert_num_queries(2):
        assert read(1) == [("Quảng Ngãi", "P1", 3)]
        assert sorted(codes(3)) == ["C1", "C2", "C3"]
    expected = list(
        OrgUnit.objects.filter(level=3)
        .annotate(n=Count("children"))
        .order_by("code")
        .values_list("name", "code", "n")
    )
    assert read(3) == expected == [("Xã 1", "C1", 0), ("Xã 2", "C2", 0), ("Xã 3", "C3", 0)]


def test_values_are_converted_as_the_orm_converts_them(units):
    # SQLite answers a date as text: the field's converter makes it a date again.
    make_unit(code="OLD", name="Xã cũ", level=3, kind="xa", parent=units[0])
    read = Compiled(lambda code: OrgUnit.objects.filter(code=code).values_list("valid_to", "path"))

    found = read("OLD")
    assert found == list(OrgUnit.objects.filter(code="OLD").values_list("valid_to", "path"))
    assert isinstance(found[0][0], datetime.date)


def test_a_constant_equal_to_a_stand_in_is_refused_not_run_wrong(units):
    # 29,000 is the first integer stand-in: a read that compares a column to that constant would
    # take the argument's place for it in one trace and not in the other.
    read = Compiled(lambda pk: OrgUnit.objects.filter(pk=pk).exclude(level=29_000))

    with pytest.raises(ValueError, match="depends on the arguments"):
        read(units[1].pk)


def test_arguments_other_than_ints_and_strings_are_refused(units):
    read = Compiled(lambda pk: OrgUnit.objects.filter(pk=pk))

    with pytest.raises(TypeError):
        read(units[1])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read(True)


def test_an_argument_for_a_small_integer_field_is_found(units):
    # PostgreSQL's backend passes such a value as psycopg's Int2, not as the int it was given.
    read = Compiled(lambda level: OrgUnit.objects.filter(level=level).order_by("code"))

    assert [u.code for u in read(3)] == ["C1", "C2", "C3"]
    assert [u.code for u in read(1)] == ["P1"]


def test_shapes_past_the_limit_are_not_kept(units, monkeypatch):
    monkeypatch.setattr("duan8.core.compiled.MAX_SHAPES", 2)
    build, calls = counting(lambda codes: OrgUnit.objects.filter(code__in=codes))
    read = Compiled(build)

    for length in (1, 2, 3, 3):
        assert len(read(["C1", "C2", "C3"][:length])) == length

    assert len(read._plans) == 2
    assert len(calls) == 2 * 2 + 2  # one, two traced and kept; three built by the ORM each time


def test_a_long_list_goes_through_the_orm_as_written(units, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("duan8.core.compiled.MAX_LIST", 2)
    build, calls = counting(lambda codes: OrgUnit.objects.filter(code__in=codes).order_by("code"))
    read = Compiled(build)

    with django_assert_num_queries(1):
        assert [u.code for u in read(["C3", "C1", "P1"])] == ["C1", "C3", "P1"]
    assert len(calls) == 1 and read._plans == {}


def test_a_date_argument_compares_as_the_orm_compares_it(units):
    make_unit(code="OLD", name="Xã cũ", level=3, kind="xa", parent=units[0])  # ends 30/6/2025
    read = Compiled(
        lambda day: OrgUnit.objects.filter(valid_to__gte=day).values_list("code", flat=True)
    )
    end = OrgUnit.objects.get(code="OLD").valid_to

    assert read(end) == ["OLD"]
    assert read(end + datetime.timedelta(days=1)) == []
    with pytest.raises(TypeError):
        read(datetime.datetime(2025, 1, 1))  # type: ignore[arg-type]  # a time is not a date


def test_a_prepared_read_answers_as_the_plain_one_on_any_database(units):
    """``prepared=True`` changes how PostgreSQL runs the read, never what it answers (on SQLite
    the flag does nothing)."""
    province, commune = units[0], units[1]

    def build(pk, level):  # type: ignore[no-untyped-def]
        return OrgUnit.objects.filter(pk=pk, level__gte=level).select_related("parent")[:1]

    plain, prepared = Compiled(build), Compiled(build, prepared=True)

    for _ in range(7):  # past PostgreSQL's five custom plans, when it may keep a generic one
        for pk, level in ((commune.pk, 3), (province.pk, 1), (province.pk, 3), (10**9, 1)):
            got, expected = prepared.first(pk, level), plain.first(pk, level)
            assert (got and fields(got)) == (expected and fields(expected))
            if got is not None:
                assert fields(got.parent) == fields(expected.parent) if got.parent else True


def test_a_read_by_a_prefix_is_refused_as_a_prepared_one(units):
    """A path prefix (LIKE) cannot use the index in the one plan PostgreSQL may keep for every
    argument: the read says so when it is first run, on every database."""
    read = Compiled(lambda path: OrgUnit.objects.filter(path__startswith=path), prepared=True)

    with pytest.raises(ValueError, match="prefix"):
        read(units[0].path)
