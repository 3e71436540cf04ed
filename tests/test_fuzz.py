"""Property tests of the readers (see fuzz_targets.py): no unhandled exception, lossless,
deterministic. `python benchmarks/fuzz.py` runs the same targets for 100,000+ examples."""
from __future__ import annotations

import pytest
from hypothesis import settings

from fuzz_targets import TARGETS, run

# Bigger examples get fewer runs here; benchmarks/fuzz.py runs them for long.
CAPS = {"project": 15, "csv": 50, "csv-damaged": 50, "yaml": 100, "yaml-damaged": 100, "notation": 150}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz_target(name):
    examples = settings.default.max_examples
    assert run(name, min(examples, CAPS.get(name, examples))) > 0
