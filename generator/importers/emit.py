"""An imported model as the YAML text of a spec: one line per layer, the model's names
kept, and a structure that repeats folded into a block defined once under ``blocks``
and instantiated by ``repeat``.

Folding is structural: a run of two or more consecutive windows of the same length
whose layers have the same kinds, the same fields and the same connections (inside the
window, or to the window's input) becomes one ``repeat``; the fields whose values differ
between windows become the block's ``$parameters`` (at most :data:`MAX_PARAMS`, so the
block stays readable). Runs of the same structure share one block. The text is a pure
function of the layers: importing the same model twice gives the same bytes.
"""

from __future__ import annotations

import os
import re

import yaml

from ..specs.layers import INPUT
from .model import Imported

__all__ = ["to_yaml", "HEADER", "MAX_PARAMS", "MAX_PERIOD", "MIN_ALIKE"]

#: The first line of every imported spec (the command overwrites only files that start
#: with it, unless told to).
HEADER = "# Imported by `python -m generator import`: a spec like any other; edit freely."
#: Most parameters a folded block may have.
MAX_PARAMS = 4
#: Most layers in one window of a folded block.
MAX_PERIOD = 48
#: Fewest layers in a block whose windows are apart from each other (:func:`_alike`).
MIN_ALIKE = 4
_SEP = "/._-: "


def _flow(value) -> str:
    """``value`` (a mapping, list or scalar) as one line of YAML flow style."""
    text = yaml.safe_dump(_plain(value), default_flow_style=True, sort_keys=False,
                          allow_unicode=True, width=1 << 30)
    return text.strip().removesuffix("\n...").strip()


def _top(key, value) -> str:
    """A top-level ``key: value`` in block style (long text folded at 88 columns)."""
    return yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True,
                          width=88).rstrip()


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _kind_body(layer):
    (kind, body), = layer.items()
    return kind, body


class _Graph:
    """Positions of the layers and the positions each takes (-1: the network input)."""

    def __init__(self, layers):
        self.layers = [_kind_body(layer) for layer in layers]
        pos = {body["name"]: i for i, (_, body) in enumerate(self.layers)}
        pos[INPUT] = -1
        self.refs = [[pos[n] for n in body["inputs"]] if "inputs" in body else [i - 1]
                     for i, (_, body) in enumerate(self.layers)]
        self.used_after = [0] * len(self.layers)  # the last position that takes each one
        for i, refs in enumerate(self.refs):
            for r in refs:
                if r >= 0:
                    self.used_after[r] = max(self.used_after[r], i)

    def shape_of(self, j, start):
        """What layer ``j`` looks like inside a window starting at ``start``, or None
        when it takes a value from before the window's input."""
        kind, body = self.layers[j]
        rel = []
        for r in self.refs[j]:
            if r >= start:
                rel.append(r - start)
            elif r == start - 1:
                rel.append("input")
            else:
                return None
        keys = tuple(k for k in body if k not in ("name", "inputs"))
        return kind, keys, tuple(rel)

    def run(self, start, period):
        """How many windows of ``period`` from ``start`` repeat (0 if fewer than 2)."""
        first = [self.shape_of(j, start) for j in range(start, start + period)]
        if None in first:
            return 0, first
        count = 1
        n = len(self.layers)
        while start + (count + 1) * period <= n:
            s = start + count * period
            if any(self.layers[s + o][0] != first[o][0] for o in range(period)):
                break
            if [self.shape_of(j, s) for j in range(s, s + period)] != first:
                break
            count += 1
        while count >= 2 and not self.closed(start, period, count):
            count -= 1
        return (count if count >= 2 else 0), first

    def closed(self, start, period, count) -> bool:
        """True when each window's values, but its output, are taken only inside it."""
        inside = all(self.used_after[j] < start + (k + 1) * period
                     for k in range(count)
                     for j in range(start + k * period, start + (k + 1) * period - 1))
        # a window's output goes to the next window only (the last one's: anywhere)
        return inside and all(self.used_after[start + (k + 1) * period - 1]
                              < start + (k + 2) * period for k in range(count - 1))

    def varying(self, start, period, count):
        """The (offset, field) whose values differ between the windows."""
        out = []
        for o in range(period):
            _, body = self.layers[start + o]
            for key in body:
                if key in ("name", "inputs"):
                    continue
                values = {_flow(self.layers[start + k * period + o][1][key])
                          for k in range(count)}
                if len(values) > 1:
                    out.append((o, key))
        return out


def _find_runs(graph: _Graph):
    """Greedy from the start: at each position the run covering the most layers."""
    runs, i, n = [], 0, len(graph.layers)
    while i < n:
        best = None
        for period in range(2, min(MAX_PERIOD, (n - i) // 2) + 1):
            if graph.layers[i + period][0] != graph.layers[i][0]:
                continue  # the next window cannot start like this one
            count, shape = graph.run(i, period)
            if not count:
                continue
            if len(graph.varying(i, period, count)) > MAX_PARAMS:
                continue
            if best is None or period * count > best[0] * best[1]:
                best = (period, count, tuple(shape))
        if best is None:
            runs.append((i, 1, 1, None))
            i += 1
            continue
        period, count, shape = best
        # the same run may start a little later, where the model's names say a block starts
        offset, score = 0, _coherence(graph, i, period, count)
        for d in range(1, period):
            c, sh = graph.run(i + d, period)
            if c >= count and len(graph.varying(i + d, period, c)) <= MAX_PARAMS:
                better = _coherence(graph, i + d, period, c)
                if better > score:
                    offset, score, count, shape = d, better, c, tuple(sh)
        runs += [(j, 1, 1, None) for j in range(i, i + offset)]
        runs.append((i + offset, period, count, shape))
        i += offset + period * count
    return _alike(graph, _reuse(graph, runs))


def _params_needed(graph: _Graph, starts, period) -> int:
    """How many ``$parameters`` a block of the windows at ``starts`` needs (positions whose
    values agree in every window share one), as :func:`to_yaml` names them."""
    values = set()
    for o in range(period):
        for key in graph.layers[starts[0] + o][1]:
            if key not in ("name", "inputs"):
                seen = tuple(_flow(graph.layers[s + o][1][key]) for s in starts)
                if len(set(seen)) > 1:
                    values.add(seen)
    return len(values)


def _alike(graph: _Graph, runs):
    """Windows of the same structure apart from each other (ResNet's first block of each
    stage, the one with the projection shortcut, between the runs of identity blocks):
    one block, each window a ``repeat`` of one. Only a stretch of single layers' first or
    last :data:`MIN_ALIKE` to :data:`MAX_PERIOD` layers is a candidate, so the search
    costs O(stretches × MAX_PERIOD²)."""
    stretches, cur = [], []
    for run in runs:
        if run[3] is None:
            cur.append(run[0])
            continue
        if cur:
            stretches.append(cur)
        cur = []
    if cur:
        stretches.append(cur)
    found = {}  # shape -> starts, in order
    for stretch in stretches:
        first, end = stretch[0], stretch[-1] + 1
        for period in range(MIN_ALIKE, min(MAX_PERIOD, end - first) + 1):
            for start in dict.fromkeys((first, end - period)):
                shape = [graph.shape_of(j, start) for j in range(start, start + period)]
                if None in shape or not graph.closed(start, period, 1):
                    continue
                starts = found.setdefault(tuple(shape), [])
                if not starts or starts[-1] + period <= start:  # no overlap
                    starts.append(start)
    taken, folded = set(), []
    for shape, starts in sorted(found.items(), key=lambda kv: -len(kv[0]) * len(kv[1])):
        period = len(shape)
        starts = [s for s in starts if not taken & set(range(s, s + period))]
        if len(starts) < 2 or _params_needed(graph, starts, period) > MAX_PARAMS:
            continue
        for s in starts:
            taken.update(range(s, s + period))
            folded.append((s, period, 1, shape))
    out = [run for run in runs if run[3] is not None or run[0] not in taken]
    return sorted(out + folded)


def _coherence(graph: _Graph, start, period, count) -> int:
    """How much the names of each window share: the length of their common labels."""
    return sum(len(_label([graph.layers[j][1]["name"]
                           for j in range(start + k * period, start + (k + 1) * period)]))
               for k in range(count))


def _reuse(graph: _Graph, runs):
    """Single layers that form, once more, the window of a block found in a run."""
    known = []
    for _, _, _, shape in runs:
        if shape is not None and shape not in known:
            known.append(shape)
    out, r = [], 0
    while r < len(runs):
        start = runs[r][0]
        for shape in known:
            period = len(shape)
            if r + period <= len(runs) and all(x[3] is None for x in runs[r:r + period]) \
                    and graph.layers[start][0] == shape[0][0] \
                    and [graph.shape_of(j, start) for j in range(start, start + period)] \
                    == list(shape) and graph.closed(start, period, 1):
                out.append((start, period, 1, shape))
                r += period
                break
        else:
            out.append(runs[r])
            r += 1
    return out


def _common_prefix(names):
    return os.path.commonprefix(list(names))


def _common_suffix(names):
    return _common_prefix([n[::-1] for n in names])[::-1]


def _label(names) -> str:
    """What the names of one window share at the start, cut at a separator."""
    prefix = _common_prefix(names)
    if len(names) > 1 and not all(n == prefix for n in names):
        cut = max(prefix.rfind(c) for c in "/.")
        prefix = prefix[:cut] if cut > 0 else prefix
    return prefix.rstrip(_SEP)


def _range_name(labels) -> str:
    """``['features.5', 'features.6']`` -> ``features.5-6``."""
    if len(labels) == 1:
        return labels[0]
    prefix = _common_prefix(labels)
    tails = [label[len(prefix):] for label in labels]
    m = re.search(r"\d+$", prefix)
    if m and all(t == "" or t.isdigit() for t in tails):  # split inside a number
        prefix, tails = prefix[:m.start()], [m.group() + t for t in tails]
    if prefix and all(t.isdigit() for t in tails):
        return f"{prefix}{tails[0]}-{tails[-1]}"
    return f"{labels[0]} to {labels[-1]}" if labels[0] else ""


def to_yaml(model: Imported) -> str:
    """The spec text of ``model`` (see the module docstring)."""
    graph = _Graph(model.layers)
    runs = _find_runs(graph)
    # one block per structure; its parameters: what differs in any of its runs
    groups: dict = {}
    for start, period, count, shape in runs:
        if shape is not None:
            groups.setdefault(shape, []).append((start, period, count))
    blocks = {}
    for b, (shape, uses) in enumerate(groups.items(), 1):
        period = len(shape)
        instances = [start + k * period for start, _, count in uses for k in range(count)]
        keys = []
        for o in range(period):
            for key in graph.layers[instances[0] + o][1]:
                if key in ("name", "inputs"):
                    continue
                if len({_flow(graph.layers[s + o][1][key]) for s in instances}) > 1:
                    keys.append((o, key))
        # positions whose values agree in every instance share a parameter
        params, names = {}, {}
        for o, key in keys:
            values = tuple(_flow(graph.layers[s + o][1][key]) for s in instances)
            if values not in params:
                pname, n = key, 1
                while pname in names.values():
                    n += 1
                    pname = f"{key}_{n}"
                params[values] = pname
            names[(o, key)] = params[values]
        # each layer's name inside its window: without the window's label (what the names
        # of the window share), so "stage.1.0/in" and "stage.2.0/in" are "in", not "0/in"
        window_labels = [_label([graph.layers[s + o][1]["name"] for o in range(period)])
                         for s in instances]
        local = []
        for o in range(period):
            own = [graph.layers[s + o][1]["name"] for s in instances]
            if len(instances) > 1:
                own = [n.removeprefix(lb) for n, lb in zip(own, window_labels)]
            suffix = _common_suffix(own)
            if len(instances) > 1 and suffix and suffix[0] not in _SEP:  # cut at a separator
                cut = min((suffix.find(c) for c in _SEP if c in suffix), default=-1)
                suffix = suffix[cut:] if cut >= 0 else suffix
            local_name = suffix.lstrip(_SEP) or f"{graph.layers[instances[0] + o][0]}{o + 1}"
            while local_name in local or local_name == INPUT:
                local_name = f"{local_name}#{o + 1}"
            local.append(local_name)
        blocks[shape] = (f"block{b}", names, local)

    top_names, lines = {}, []
    owner = {}  # position -> name of the top-level item whose output it is
    used = set()
    for start, period, count, shape in runs:
        if shape is None:
            owner[start] = graph.layers[start][1]["name"]
            used.add(owner[start])
            continue
        labels = [_label([graph.layers[j][1]["name"]
                          for j in range(start + k * period, start + (k + 1) * period)])
                  for k in range(count)]
        name = _range_name(labels) or f"{blocks[shape][0]}"
        base, n = name, 1
        while name in used or name == INPUT:
            n += 1
            name = f"{base}#{n}"
        used.add(name)
        owner[start + period * count - 1] = name
        top_names[start] = name

    body_lines = []
    prev = -1
    for start, period, count, shape in runs:
        if shape is None:
            kind, body = graph.layers[start]
            out = {"name": body["name"]}
            refs = graph.refs[start]
            if refs != [prev] or len(refs) > 1 or "inputs" in body and len(body["inputs"]) > 1:
                out["inputs"] = [INPUT if r < 0 else owner[r] for r in refs]
            out.update((k, v) for k, v in body.items() if k not in ("name", "inputs"))
            body_lines.append(f"  - {kind}: {_flow(out)}")
            prev = start
            continue
        block, pnames, _ = blocks[shape]
        refs = graph.refs[start]
        rep = {"name": top_names[start]}
        if refs != [prev]:
            rep["inputs"] = [INPUT if r < 0 else owner[r] for r in refs]
        rep["block"] = block
        per = []
        for k in range(count):
            s = start + k * period
            per.append({p: graph.layers[s + o][1][key] for (o, key), p in pnames.items()})
        common = {p: v for p, v in per[0].items() if all(_flow(x[p]) == _flow(v) for x in per)}
        each = [{p: v for p, v in x.items() if p not in common} for x in per]
        if any(each):
            rep["each"] = each
        elif count > 1:
            rep["times"] = count
        if common:
            rep["params"] = common
        body_lines.append(f"  - repeat: {_flow(rep)}")
        prev = start + period * count - 1

    head = [HEADER, _top("name", model.name)]
    if model.description:
        head.append(_top("description", model.description))
    head.append(f"input: {_flow(list(model.input))}")
    if blocks:
        head.append("blocks:")
        for shape, (block, pnames, local) in blocks.items():
            params = {}
            for p in pnames.values():
                params.setdefault(p, None)
            head.append(f"  {block}:")
            if params:
                head.append(f"    params: {_flow(params).replace(': null', ': ~')}")
            head.append("    layers:")
            start = next(s for s, _, _, sh in runs if sh == shape)
            for o, (kind, rel_keys, rel) in enumerate(shape):
                _, body = graph.layers[start + o]
                out = {"name": local[o]}
                expected = ("input",) if o == 0 else (o - 1,)
                if rel != expected or len(rel) > 1:
                    out["inputs"] = [INPUT if r == "input" else local[r] for r in rel]
                for key in rel_keys:
                    out[key] = f"${pnames[(o, key)]}" if (o, key) in pnames else body[key]
                head.append(f"      - {kind}: {_flow(out)}")
    head.append("layers:")
    return "\n".join(head + body_lines) + "\n"
