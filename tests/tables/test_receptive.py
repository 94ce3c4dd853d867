"""Receptive field, jump and start (Araujo et al., Distill 2019) against known values."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from generator.specs import load_builtin, parse_spec
from generator.tables import layer_table
from generator.tables.receptive import INPUT, Field1D, adaptive_window, union, window
from tests.conftest import ROOT


def field_of(network: str, name: str):
    table = layer_table(load_builtin(network))
    (row,) = [r for r in table.walk() if r.name == name and r.depth == 0]
    h, w = row.receptive_field
    assert h == w
    return h.size, h.jump, h.start


def test_known_receptive_fields_of_classic_networks():
    assert field_of("vgg16", "conv5_3") == (196, 16, -90)
    assert field_of("vgg16", "pool5") == (212, 32, -90)
    assert field_of("alexnet", "pool5") == (195, 32, -66)
    assert field_of("resnet18", "layer4.1") == (435, 32, -217)
    assert field_of("resnet50", "layer4.2") == (427, 32, -213)


def test_window_arithmetic_one_layer_at_a_time():
    f = window(INPUT, (3, 3), (1, 1), (1, 1))                  # 3x3, stride 1, pad 1
    assert f[0] == Field1D(3, 1, -1)
    f = window(f, (2, 2), (2, 2), (0, 0))                      # 2x2 pool, stride 2
    assert f[0] == Field1D(4, 2, -1)
    f = window(f, (3, 3), (1, 1), (1, 1), dilation=(2, 2))     # dilated: spans 5
    assert f[0] == Field1D(4 + 4 * 2, 2, -1 - 2)


def test_paths_that_meet_take_the_union_and_undefined_fields_propagate():
    a = (Field1D(3, 1, -1), Field1D(3, 1, -1))
    b = (Field1D(5, 1, -2), Field1D(1, 1, 0))
    assert union([a, b]) == (Field1D(5, 1, -2), Field1D(3, 1, -1))
    assert union([a, None]) is None
    assert union([a, (Field1D(3, 2, -1), Field1D(3, 1, -1))]) is None  # jumps differ
    assert window(None, (3, 3), (1, 1), (0, 0)) is None


def test_adaptive_pooling_has_a_window_only_when_its_windows_are_alike():
    assert adaptive_window(7, 1) == (7, 1)
    assert adaptive_window(12, 6) == (2, 2)
    assert adaptive_window(6, 6) == (1, 1)
    assert adaptive_window(5, 3) is None


def _adaptive_window_by_brute_force(size: int, out: int):
    """Every one of PyTorch's windows, listed: (kernel, stride) if they are all alike."""
    starts = [(i * size) // out for i in range(out)]
    ends = [-(-((i + 1) * size) // out) for i in range(out)]
    kernels = {b - a for a, b in zip(starts, ends)}
    steps = {b - a for a, b in zip(starts, starts[1:])} or {1}
    return (kernels.pop(), steps.pop()) if len(kernels) == len(steps) == 1 else None


def test_adaptive_window_closed_form_agrees_with_every_window_listed():
    cases = [(size, out) for size in range(1, 61) for out in range(1, 61)]
    disagree = [(size, out, adaptive_window(size, out), _adaptive_window_by_brute_force(size, out))
                for size, out in cases
                if adaptive_window(size, out) != _adaptive_window_by_brute_force(size, out)]
    assert disagree == []
    # The sample holds every outcome: alike windows that tile, overlap, repeat (stride 0).
    outcomes = {adaptive_window(size, out) for size, out in cases}
    assert {(4, 4), (3, 2), (1, 0), None} <= outcomes


#: Huge sizes, checked in a child process held to 1 GB and 20 s: listing the windows
#: (the old way) runs out of either, the closed form answers at once.
_HUGE = """
from generator.tables.receptive import adaptive_window
assert adaptive_window(10**30, 10**30) == (1, 1)
assert adaptive_window(32, 10**30) is None
assert adaptive_window(1, 10**30) == (1, 0)
assert adaptive_window(2 * 10**30 + 1, 2) == (10**30 + 1, 10**30)
assert adaptive_window(10**30 + 1, 10**30) == (2, 1)
print("ok")
"""


def test_adaptive_window_of_huge_sizes_is_bounded_in_time_and_memory():
    try:
        run = subprocess.run([sys.executable, "-c", _HUGE], capture_output=True, text=True,
                             timeout=20, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail("adaptive_window(huge) took more than 20 s")
    assert (run.returncode, run.stdout) == (0, "ok\n"), run.stderr[-500:]


def _limit_memory():
    limit = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("output", ["1000000000000000000000000000000", "1000000000"])
def test_a_huge_adaptive_pool_is_one_line_in_bounded_time_and_memory(tmp_path, output):
    """The table command on a huge adaptive pool: a table or a one-line error, exit 0 or 2,
    within 1 GB of memory and 60 s (the old code listed every window)."""
    spec = tmp_path / "big.yaml"
    spec.write_text(f"name: big\ninput: [3, 32, 32]\nlayers:\n"
                    f"  - adaptive_avgpool: {{output: {output}}}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "table", str(spec), "--format", "json"],
                         capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory,
                         cwd=ROOT)
    assert run.returncode in (0, 2), run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    if run.returncode == 2:
        assert len(run.stderr.strip().splitlines()) == 1 and "big.yaml" in run.stderr


def test_flatten_sees_the_whole_map_and_transposed_conv_has_no_single_field():
    net = parse_spec(
        "name: t\ninput: [1, 8, 8]\nlayers:\n  - conv: {out: 2, kernel: 3}\n  - flatten\n"
        "  - fc: {out: 3}\n  - relu\n", "t.yaml", "t")
    conv, flat, fc, _ = layer_table(net).rows
    assert conv.receptive_field[0] == Field1D(3, 1, 0)
    assert flat.receptive_field[0] == Field1D(8, 1, 0)   # 3 + (6 - 1) * 1
    assert fc.receptive_field == flat.receptive_field
    up = parse_spec("name: t\ninput: [1, 4, 4]\nlayers:\n"
                    "  - conv_transpose: {out: 2, kernel: 2, stride: 2}\n  - relu\n",
                    "t.yaml", "t")
    assert [r.receptive_field for r in layer_table(up).rows] == [None, None]


def test_a_residual_block_reports_the_union_of_its_paths():
    table = layer_table(load_builtin("resnet50"))
    block = next(r for r in table.rows if r.name == "layer2.0")
    main_end = next(c for c in block.children if c.name == "bn3")
    short_end = next(c for c in block.children if c.name == "downsample.1")
    assert block.receptive_field == union([main_end.receptive_field,
                                           short_end.receptive_field])
    assert block.receptive_field == main_end.receptive_field  # the main path contains the other
