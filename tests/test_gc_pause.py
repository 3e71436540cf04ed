"""The collector's pause around loading and building (kbgen.project.no_gc): the objects a
pause makes go to the oldest generation, and a long-lived process that pauses again and
again (`mkdocs serve`, one build per edit) still gets its old garbage collected."""
from __future__ import annotations

import gc
import types
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


def test_a_loaded_and_generated_site_is_freed_without_the_collector():
    """The project and the pages' render structures hold no reference cycle, so they go as
    soon as the last reference does: left to the collector, the MkDocs build that follows
    `generate` walked all of them in its full collections (0.2 s a process at 3,000 topics)."""
    import os

    from kbgen.build import generate
    from kbgen.project import load_project
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    gc.collect()
    gc.disable()
    try:
        project = load_project(os.path.join(root, "kbgen.yml"))
        assert project.topics and not project.report.errors
        site, pages, _ = generate(project)
        assert len(pages) > 30
        del project, site, pages
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        # (the renderer's Jinja environment is a cycle of its own, and holds no topic)
        modules = {"kbgen.model", "kbgen.render.pages", "kbgen.render.links", "kbgen.mnemonics", "kbgen.notation"}
        left = sorted({f"{type(o).__module__}.{getattr(o, '__qualname__', type(o).__qualname__)}"
                       for o in gc.garbage if type(o).__module__ in modules
                       or (isinstance(o, types.FunctionType) and o.__module__ in modules)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
