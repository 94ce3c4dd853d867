"""``generator.nn.chunk`` (ShuffleNetV2's channel split) against ``torch.chunk``, and the
table's ``channel_split`` rows against it (torch parts skipped where torch is absent)."""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as F
from generator.errors import UserError
from generator.specs import parse_spec
from generator.tables import layer_table

X = np.random.default_rng(15).standard_normal((2, 7, 3, 4)).astype(np.float32)


@pytest.mark.parametrize("size, chunks, sizes", [
    (6, 2, [3, 3]), (7, 2, [4, 3]), (5, 4, [2, 2, 1]), (6, 4, [2, 2, 2]), (3, 5, [1, 1, 1]),
    (1, 1, [1]), (116, 2, [58, 58])])
def test_chunk_sizes_are_torch_chunk_lengths(size, chunks, sizes):
    assert F.chunk_sizes(size, chunks) == sizes


@pytest.mark.parametrize("chunks", [1, 2, 3, 4, 5, 7, 9])
@pytest.mark.parametrize("dim", [1, 0, -1, 2])
def test_chunk_equals_torch(chunks, dim):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    ours = F.chunk(X, chunks, dim)
    theirs = torch.chunk(torch.from_numpy(X), chunks, dim)
    assert len(ours) == len(theirs) == len(F.chunk_sizes(X.shape[dim], chunks))
    for a, b in zip(ours, theirs):
        assert a.shape == tuple(b.shape) and np.array_equal(a, b.numpy())
    assert np.array_equal(np.concatenate(ours, axis=dim), X)


@pytest.mark.parametrize("call, message", [
    (lambda: F.chunk(X, 0, 1), "chunks must be at least 1"),
    (lambda: F.chunk(X, 2, 4), "dim 4 is out of range"),
    (lambda: F.chunk_sizes(0, 2), "the axis has 0 elements"),
])
def test_chunk_refuses_what_torch_refuses(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _table(layers: str, shape="[7, 3, 4]"):
    return layer_table(parse_spec(f"name: s\ninput: {shape}\nlayers:\n{layers}", "s.yaml", "s"))


def test_a_split_row_has_its_part_of_the_channels():
    t = _table("  - channel_split: {name: a, chunks: 2, index: 0}\n"
               "  - channel_split: {inputs: input, chunks: 2, index: 1}\n"
               "  - concat: {inputs: [a, input]}\n")
    assert [(r.type, r.output_shape, r.details) for r in t.rows] == [
        ("channel_split", (4, 3, 4), "part 1 of 2"), ("channel_split", (3, 3, 4), "part 2 of 2"),
        ("concat", (11, 3, 4), "2 inputs")]
    assert t.totals.params == t.totals.macs == 0


def test_a_part_past_the_last_is_one_line_naming_the_layer():
    with pytest.raises(UserError) as err:
        _table("  - channel_split: {name: half, chunks: 4, index: 3}\n", "[5, 3, 4]")
    assert str(err.value) == ("s.yaml: layer 1 'half' (channel_split): index: 5 channels cut "
                              "into 4 parts of at most 2 make 3, numbered 0 to 2")
