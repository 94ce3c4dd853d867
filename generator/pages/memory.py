"""The memory section of a network page, and its chart of where the compute goes: the
figures of :mod:`generator.tables.memory` as display strings for
``templates/pages/architectures/memory.md.j2``.

Every number is computed there; this module only formats (bytes in binary units with
the exact count beside them; torchinfo's figures in its own MB, 10^6 bytes, two
decimals, as it prints them). Names from a spec arrive escaped.
"""

from __future__ import annotations

from .. import text
from ..figures.catalog import FIGURES
from ..tables import memory as m
from ..tables.formats import bytes_text, count_text

__all__ = ["context", "BATCHES", "chart_id"]

#: The batch sizes the training table shows: one image, and a common training batch.
BATCHES = (1, 32)


def chart_id(network_id: str) -> str:
    """The id of a network's compute chart in the figure catalog."""
    return f"compute-{network_id}"


def _bytes(n: int) -> str:
    """``97.5 MiB (102,228,128 B)``; small sizes once: ``488 B``."""
    short = bytes_text(n)
    return short if short.endswith(" B") else f"{short} ({count_text(n)} B)"


def _mb(n: int) -> str:
    """Bytes in torchinfo's units, as it prints them: ``177.83``."""
    return f"{n / 1e6:0.2f}"


def _where(row) -> str:
    return f"{text.markdown(row.name or row.type)} (row {row.index})"


def _kinds(table) -> set[str]:
    """The kinds of the layers of ``table`` (merges included)."""
    return {r.type for r in table.walk() if not r.children}


def _kept(table) -> list[dict]:
    """What autograd keeps for each kind of layer this network has, in the order of
    :data:`~generator.tables.memory.SAVED`."""
    present = _kinds(table)
    rows = [{"kinds": [k], "keeps": what} for k, (_, what) in m.SAVED.items() if k in present]
    nothing = [k for k in m.KEEP_NOTHING if k in present]
    if nothing:
        rows.append({"kinds": nothing, "keeps": "nothing"})
    return rows


def context(table) -> dict:
    """Everything the memory section shows for ``table``; the chart when the figure
    catalog has one for this network (every built-in)."""
    mem = m.memory(table, BATCHES)
    chart = chart_id(table.network.id)
    training = [
        ("input batch", "the images themselves", [t.input for t in mem.training]),
        ("saved activations", "what autograd keeps for the backward pass",
         [t.saved for t in mem.training]),
        ("parameters", "float32 weights and biases", [t.params for t in mem.training]),
        ("buffers", "batchnorm's running statistics", [t.buffers for t in mem.training]),
        ("gradients", "one per trainable parameter", [t.gradients for t in mem.training]),
        ("SGD momentum", "one momentum value per trainable parameter",
         [t.sgd_momentum for t in mem.training]),
        ("Adam state", "two moments per trainable parameter, a step per tensor",
         [t.adam for t in mem.training]),
    ]
    first, last = mem.torchinfo[0], mem.torchinfo[-1]
    return {
        "chart": chart if any(f.id == chart for f in FIGURES) else None,
        "params": _bytes(mem.param_bytes),
        "buffers": _bytes(mem.buffer_bytes),
        "has_buffers": mem.buffer_bytes > 0,
        "batchnorm_layers": count_text(mem.batchnorm_layers),
        "input": _bytes(mem.input_bytes),
        "activations": _bytes(mem.activation_bytes),
        "peak": _bytes(mem.peak.bytes),
        "peak_at": _where(mem.peak.row),
        "peak_inplace": _bytes(mem.peak_inplace.bytes),
        "peak_inplace_at": _where(mem.peak_inplace.row),
        "inplace_kinds": sorted(m.INPLACE),
        "view_kinds": sorted(m.VIEWS & _kinds(table)),
        "batches": [count_text(n) for n in BATCHES],
        "training": [{"what": w, "note": note, "cells": [_bytes(v) for v in values]}
                     for w, note, values in training],
        "total_sgd": [_bytes(t.total_sgd) for t in mem.training],
        "total_adam": [_bytes(t.total_adam) for t in mem.training],
        "kept": _kept(table),
        "torchinfo": [
            {"line": "Input size (MB)", "cells": [_mb(t.input) for t in mem.torchinfo]},
            {"line": "Forward/backward pass size (MB)",
             "cells": [_mb(t.forward_backward) for t in mem.torchinfo]},
            {"line": "Params size (MB)", "cells": [_mb(t.params) for t in mem.torchinfo]},
            {"line": "Estimated Total Size (MB)",
             "cells": [_mb(t.total) for t in mem.torchinfo]},
        ],
        "torchinfo_pass": _bytes(last.forward_backward),
        "torchinfo_saved": _bytes(mem.training[-1].saved),
        "torchinfo_batch": count_text(last.batch),
        "torchinfo_one": _mb(first.forward_backward),
    }
