"""The engine's compact store of values (``ValueStore``) reads as the dictionary it replaced."""

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duan8.activities.values import CELLS, Cell, Measure, ValueStore

ODD_CELL = Cell("X", False, "adult")  # a disaggregation outside CELLS

units = st.sampled_from([1, 2, 3])
elements = st.sampled_from([10, 11])
slotted = st.one_of(
    st.tuples(st.sampled_from([Measure.VALUE, Measure.TARGET]), st.none()),
    st.tuples(st.just(Measure.PARTICIPANTS), st.sampled_from(CELLS)),
)
other = st.sampled_from([(Measure.PARTICIPANTS, ODD_CELL), ("other", None)])
keys = st.builds(lambda u, e, mc: (u, e, *mc), units, elements, st.one_of(slotted, other))
numbers = st.one_of(st.integers(-5, 1000), st.decimals(min_value=-100, max_value=10_000, places=2))
operations = st.lists(st.tuples(st.sampled_from(["set", "add", "del"]), keys, numbers), max_size=40)


# deadline and the too_slow check off: the machine may be busy; the cases are small.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_the_store_holds_what_a_dictionary_would(steps):
    store, model = ValueStore(), defaultdict(int)

    for operation, key, number in steps:
        if operation == "set":
            store[key] = model[key] = number
        elif operation == "add":
            store.add(key, number)
            model[key] += number
        elif key in model:
            del store[key]
            del model[key]

    assert dict(store.items()) == dict(model)
    assert store == dict(model)
    assert len(store) == len(model)
    assert set(store) == set(model)
    for key in model:
        assert key in store
        assert store[key] == model[key]


def test_a_missing_key_is_missing_and_a_zero_is_a_value():
    store = ValueStore({(1, 10, Measure.TARGET, None): Decimal(0)})

    assert store.get((1, 10, Measure.VALUE, None)) is None
    assert store.get((1, 10, Measure.VALUE, None), 0) == 0
    assert (1, 10, Measure.VALUE, None) not in store
    with pytest.raises(KeyError):
        store[(1, 10, Measure.PARTICIPANTS, CELLS[0])]
    with pytest.raises(KeyError):
        del store[(2, 10, Measure.TARGET, None)]
    assert store[(1, 10, Measure.TARGET, None)] == Decimal(0)
    assert (1, 10, "target", None) in store  # the measure as plain text is the same key
    assert store.entry(1, 10) == (None, Decimal(0), [])
    assert store.entry(9, 10) == (None, None, [])


def test_a_value_is_a_number_never_none():
    store = ValueStore()

    with pytest.raises(ValueError):
        store[(1, 10, Measure.VALUE, None)] = None

    assert len(store) == 0


def test_the_order_is_unit_by_unit_then_indicator_then_measure_and_cell():
    store = ValueStore()
    store[(2, 11, Measure.PARTICIPANTS, CELLS[3])] = 4
    store[(1, 10, "other", None)] = 9
    store[(2, 11, Measure.VALUE, None)] = 1
    store[(1, 12, Measure.TARGET, None)] = Decimal(5)
    store[(2, 10, Measure.PARTICIPANTS, Cell("F", True, CELLS[0].age_group))] = 3  # a copy

    assert list(store.items()) == [
        ((2, 11, Measure.VALUE, None), 1),
        ((2, 11, Measure.PARTICIPANTS, CELLS[3]), 4),
        ((2, 10, Measure.PARTICIPANTS, CELLS[0]), 3),
        ((1, 12, Measure.TARGET, None), Decimal(5)),
        ((1, 10, "other", None), 9),
    ]
    assert list(store.unit_items(1)) == [
        ((1, 12, Measure.TARGET, None), Decimal(5)),
        ((1, 10, "other", None), 9),
    ]
    assert store.entry(2, 11) == (1, None, [(CELLS[3], 4)])


def test_adding_starts_from_zero_as_the_engine_did():
    store = ValueStore()

    store.add((1, 10, Measure.VALUE, None), 2)
    store.add((1, 10, Measure.VALUE, None), 3)
    store.add((1, 10, Measure.TARGET, None), Decimal("1.50"))

    assert store[(1, 10, Measure.VALUE, None)] == 5
    assert store[(1, 10, Measure.TARGET, None)] == Decimal("1.50")
    assert len(store) == 2
