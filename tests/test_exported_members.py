"""The public API is what `__all__` says: every name there exists, and nothing private leaks in."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("module", ["vision", "vision.counters", "vision.synth"])
def test_all_names_exist_and_are_public(module: str) -> None:
    mod = importlib.import_module(module)
    assert len(set(mod.__all__)) == len(mod.__all__)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name} is in __all__ but missing"
        assert not name.startswith("_") or name == "__version__"
