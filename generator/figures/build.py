"""Render the figures that are not in the cache, in parallel, and collect every file.

Each figure is drawn on its own, in a worker process, under the same
``matplotlib.rc_context(style.RC)``; its bytes depend only on its inputs, so
the result is identical whatever the number of workers or the order in
which they finish. With everything cached nothing imports matplotlib.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .library import OUT_DIR, Resolved

log = logging.getLogger(__name__)


@dataclass
class Report:
    #: path relative to the output folder (``figures/<id>.gif``) -> bytes
    files: dict[str, bytes] = field(default_factory=dict)
    #: ids drawn in this run, and ids taken from the cache
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0


def draw(module: str, params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    """Draw one figure: ``generator.figures.<module>.render`` under the site style."""
    import matplotlib

    from . import style

    mod = importlib.import_module(f"{__package__}.{module}")
    with matplotlib.rc_context(style.RC):
        return mod.render(params, data, facts)


def _timed_draw(module, params, data, facts):
    t = time.perf_counter()
    files = draw(module, params, data, facts)
    return files, time.perf_counter() - t


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(figures: list[Resolved] | tuple[Resolved, ...], cache_dir: Path,
               jobs: int | None = None) -> Report:
    """Every file of every figure, drawing only those whose key is not cached."""
    start = time.perf_counter()
    store = cache.FigureCache(cache_dir)
    report = Report()
    parts: dict[str, dict[str, bytes]] = {}
    todo: list[tuple[Resolved, str]] = []
    codes: dict[str, str] = {}
    for r in figures:
        if r.kind.module not in codes:
            codes[r.kind.module] = cache.code_digest(r.kind.module)
        k = cache.key(codes[r.kind.module], r.figure.params, r.facts, r.prepared.data)
        hit = store.get(k, list(r.ref.files))
        if hit is None:
            todo.append((r, k))
        else:
            parts[r.ref.id] = hit
            report.cached.append(r.ref.id)
    # the longest first, so the pool finishes together
    todo.sort(key=lambda t: -int(t[0].facts.get("frames", 1)))
    jobs = max(1, min(jobs or cpu_count(), len(todo)))
    if todo:
        args = [(r.kind.module, r.figure.params, r.prepared.data, r.facts) for r, _ in todo]
        if jobs == 1:
            results = [_timed_draw(*a) for a in args]
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(_timed_draw, *zip(*args)))
        for (r, k), (files, seconds) in zip(todo, results):
            missing = set(r.ref.files) - set(files)
            if missing:
                raise RuntimeError(f"figure '{r.ref.id}': {r.kind.module}.render made no "
                                   f"{', '.join(sorted(missing))}")
            store.put(k, files)
            parts[r.ref.id] = files
            report.rendered.append(r.ref.id)
            log.info("figure %s: drawn in %.2f s", r.ref.id, seconds)
    for r in figures:
        for part, path in r.ref.files.items():
            report.files[path] = parts[r.ref.id][part]
    report.rendered.sort()
    report.seconds = time.perf_counter() - start
    log.info("figures: %d drawn, %d from the cache (%s/), %.1f s", len(report.rendered),
             len(report.cached), OUT_DIR, report.seconds)
    return report
