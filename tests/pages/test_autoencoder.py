"""The autoencoder page says what is really compressed (64 real values, not 1,024)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.learn import data
from generator.pages.beyond import autoencoder
from generator.pages.beyond.lab import Lab
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def values():
    return autoencoder.values(Lab(load_settings(ROOT).path("cache_dir")))


def test_real_values_are_the_8x8_block(values):
    # independently: two different blocks never give the same image, and the map is linear
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 8, (2, 8, 8)).astype(np.float32)
    np.testing.assert_allclose(data.to_lenet_input((a + b)[None]), data.to_lenet_input(a[None]) + data.to_lenet_input(b[None]),
                               atol=1e-5)
    assert values["n_real"] == 8 * 8 == 64
    assert values["n_in"] == 32 * 32 and values["n_code"] == 128
    assert values["code_per_real"] == 2.0


def test_page_does_not_claim_eight_times_less_information(values):
    source = (ROOT / "generator/templates/pages/beyond/autoencoder.md.j2").read_text(encoding="utf-8")
    assert "times fewer.\n" not in source  # the old claim: "1,024 numbers ... 8 times fewer."
    assert "**{{ n_real }} real values**" in source and "{{ code_per_real | num }} times as" in source
