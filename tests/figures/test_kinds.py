"""One module per figure kind (prepare, describe and drawing together); colour names in
alt text from the style module; shapes in figures written as the tables write them."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from generator import text
from generator.figures import build, library, registry, style
from generator.specs import BUILTINS, load_builtin
from generator.tables import layer_table

from .conftest import ROOT

FIGURES = ROOT / "generator" / "figures"
#: Every palette colour's name, as alt text would write it.
PALETTE_NAMES = {name.replace("_", " ") for name in style.OKABE_ITO}


def test_each_kind_module_holds_its_prepare_describe_and_drawing():
    assert {k.name for k in registry.KINDS.values()} == set(registry.KINDS)
    for kind in registry.KINDS.values():
        module = importlib.import_module(f"generator.figures.{kind.module}")
        assert module.KIND is kind
        assert callable(module.render), kind.name
        if kind.prepare is not None:  # a catalog kind: its halves live beside its drawing
            assert kind.prepare.__module__ == kind.describe.__module__ == module.__name__
    assert not (FIGURES / "prepare.py").exists() and not (FIGURES / "kinds.py").exists()


def test_importing_every_kind_imports_no_matplotlib():
    code = ("import sys\n"
            "from generator.figures import registry, stage, library\n"
            "library.resolve(library.catalog.FIGURES[:3])\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL'))\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_colour_names_come_from_the_palette():
    assert style.colour_name(style.POSITIVE) == "vermillion"
    assert style.colour_name(style.NEGATIVE) == "blue"
    assert style.colour_name(style.OKABE_ITO["sky_blue"].lower()) == "sky blue"
    with pytest.raises(KeyError):
        style.colour_name(style.INPUT)  # a tint, not a palette colour: no name to guess
    assert set(style.ALT_COLOURS.values()) <= PALETTE_NAMES


def test_feature_maps_alt_names_the_colours_it_draws(resolved):
    alt = next(r for r in resolved if r.ref.id == "feature-maps-grace-hopper").ref.alt
    signed = style.COLOUR_MAPS["signed"]  # the map feature_maps draws signed responses with
    assert (f"{style.colour_name(signed[0])} (negative) and "
            f"{style.colour_name(signed[-1])} (positive)") in alt
    assert "orange" not in alt


def _strings(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_alt_text_or_caption_names_a_colour_literally():
    """Colour names reach alt text only through style (ALT_COLOURS, colour_name)."""
    found = []
    for path in sorted(FIGURES.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        texts = []
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "describe":
                texts += _strings(node)
            if isinstance(node, ast.keyword) and node.arg in ("alt", "caption"):
                texts += _strings(node.value)
        for s in texts:
            found += [(path.name, name, s[:60]) for name in PALETTE_NAMES
                      if f" {name} " in f" {s.lower()} " or f"{name}," in s.lower()]
    assert found == []


@pytest.mark.parametrize("network", BUILTINS)
def test_architecture_alt_text_writes_shapes_as_the_table(resolved, network):
    table = layer_table(load_builtin(network))
    ref = next(r for r in resolved if r.ref.id == f"architecture-{network}").ref
    assert f"input {text.shape(table.input_shape)}" in ref.alt
    assert ref.caption.startswith(f"{table.network.name}: {text.shape(table.input_shape)} \u2192 "
                                  f"{text.shape(table.rows[-1].output_shape)};")
    drawn = {tuple(r.output_shape) for r in table.rows if len(r.output_shape) == 3}
    for shape in drawn:
        c, h, w = shape
        if (h, w, c) != shape and (h, w, c) not in drawn:
            assert text.shape((h, w, c)) not in ref.alt, (network, shape)


def test_alexnet_figure_says_64x55x55_as_its_table(tmp_path, resolved):
    table = layer_table(load_builtin("alexnet"))
    first_conv = next(r for r in table.rows if r.type == "conv")
    assert text.shape(first_conv.output_shape) == "64×55×55"
    figs = [r for r in resolved if r.ref.id in ("architecture-alexnet", "volume-3x6x6")]
    files = build.render_all(figs, tmp_path, jobs=1).files
    svg = files["figures/architecture-alexnet.svg"].decode()
    assert "64×55×55" in svg and "55×55×64" not in svg and text.SHAPE_LAYOUT in svg
    volume = files["figures/volume-3x6x6.svg"].decode()
    assert "input 3×6×6" in volume and "6×6×3" not in volume


def test_volume_figure_is_channels_first(resolved):
    ref = next(r for r in resolved if r.ref.id == "volume-3x32x32-6-filters").ref
    assert ref.caption == ("A 3×32×32 input convolved with 6 filters of 3×5×5 (stride 1, "
                           "padding 0) gives 6×28×28: one map per filter.")
    assert text.SHAPE_LAYOUT in ref.alt
