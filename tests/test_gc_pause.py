"""The collector's pause around loading and building (kbgen.project.no_gc): the objects a
pause makes go to the oldest generation, and a long-lived process that pauses again and
again (`mkdocs serve`, one build per edit) still gets its old garbage collected."""
from __future__ import annotations

import gc
import weakref

from kbgen.project import _OLD, no_gc


class Node:
    __slots__ = ("other", "__weakref__")


def cyclic_garbage(count: int) -> weakref.ref:
    """`count` objects in one reference cycle, dropped: only a collection frees them."""
    nodes = [Node() for _ in range(count)]
    for a, b in zip(nodes, nodes[1:] + nodes[:1]):
        a.other = b
    return weakref.ref(nodes[0])


def test_a_pause_restores_the_collector():
    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
        with no_gc():  # nested: the inner one leaves the pause to the outer
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_garbage_of_earlier_pauses_is_collected_when_enough_has_piled_up():
    gc.collect()
    each = _OLD.MIN_DUE // 2 + 1  # the third pause finds more than MIN_DUE pending
    refs = []
    for _ in range(4):
        with no_gc():
            refs.append(cyclic_garbage(each))
    # Without the rule, nothing collects the oldest generation between pauses: all four
    # cycles would still be alive here (as they were in `mkdocs serve`).
    assert refs[0]() is None and refs[1]() is None
    gc.collect()
    assert all(r() is None for r in refs)


def test_a_single_pause_pays_for_no_collection():
    gc.collect()
    full = gc.get_stats()[-1]["collections"]
    with no_gc():
        ref = cyclic_garbage(_OLD.MIN_DUE * 2)
    assert gc.get_stats()[-1]["collections"] == full  # nothing collected on the way out
    assert ref() is not None  # its garbage waits for the next pause or the collector
    gc.collect()
    assert ref() is None
