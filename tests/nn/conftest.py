"""Collects the largest |numpy - torch| error per operator and prints it.

The oracle tests call ``record_error(name, value)``; the table appears at
the end of the pytest run ("largest absolute error vs PyTorch").
"""

from __future__ import annotations

import pytest

_MAX_ERRORS: dict[str, float] = {}


@pytest.fixture
def record_error():
    def record(name: str, value: float) -> None:
        _MAX_ERRORS[name] = max(float(value), _MAX_ERRORS.get(name, 0.0))

    return record


def pytest_terminal_summary(terminalreporter):
    if not _MAX_ERRORS:
        return
    terminalreporter.section("largest absolute error vs PyTorch (generator.nn)")
    for name in sorted(_MAX_ERRORS):
        terminalreporter.write_line(f"{name:<40} {_MAX_ERRORS[name]:.3e}")
