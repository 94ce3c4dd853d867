"""Fixtures of the figure tests: the resolved catalog, and all figures rendered once."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.figures import build, library
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def resolved():
    return library.resolved_catalog()


@pytest.fixture(scope="session")
def rendered(resolved):
    """Every figure's files, through the project's figure cache (content-addressed,
    so a hit is exactly what a fresh render would give)."""
    cache = load_settings(ROOT).path("cache_dir") / "figures"
    return build.render_all(resolved, cache).files


def by_id(resolved, fid: str):
    return next(r for r in resolved if r.ref.id == fid)
