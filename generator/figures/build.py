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
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import closure
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
    """Draw one figure: ``generator.figures.<module>.render`` under the site style,
    plus the dark-scheme variant of each part that has one (:mod:`.theme`)."""
    import matplotlib

    from . import style, theme

    mod = importlib.import_module(f"{__package__}.{module}")
    with matplotlib.rc_context(style.RC):
        files = mod.render(params, data, facts)
    return {**files, **theme.dark_parts(files)}


def code_digest(module: str) -> str:
    """The code part of a figure's key: the import closure of the module that draws it
    and of :mod:`.theme`, which makes the dark variants."""
    return closure.digest(f"{__package__}.{module}", f"{__package__}.theme")


def _timed_draw(module, params, data, facts):
    t = time.perf_counter()
    files = draw(module, params, data, facts)
    return files, time.perf_counter() - t


def _ignore_ctrl_c() -> None:
    """Run in each worker as it starts: Ctrl-C reaches every process of the terminal's
    group, and a worker stopped by it printed its own traceback (about 40 lines for one
    Ctrl-C); the build's process handles it (one line, exit 130) and stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now, running jobs included (a training job would
    otherwise run on for seconds after Ctrl-C, its result thrown away)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Renderer:
    """Draws figures that are not cached, in one process pool, as they are added.

    ``add`` looks each figure up in the cache and hands the misses to the pool
    at once, so figures can be added while the caller computes more (the
    trained-network figures while the catalog's are drawn); ``submit`` runs
    other work in the same pool (the training jobs, ahead of the figures);
    ``finish`` waits and returns every file. The pool starts only when something
    must be drawn or trained, so a warm build imports no matplotlib and starts
    no process.
    """

    def __init__(self, cache_dir: Path, jobs: int | None = None):
        self.store = cache.FigureCache(cache_dir)
        self.jobs = max(1, jobs or cpu_count())
        self.report = Report()
        self._start = time.perf_counter()
        self._figures: list[Resolved] = []
        self._parts: dict[str, dict[str, bytes]] = {}
        self._codes: dict[str, str] = {}
        self._todo: list[tuple[Resolved, str, object]] = []
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        if self._pool is not None:
            if kind is not None:  # Ctrl-C or an error: what is running is not wanted
                _stop_workers(self._pool)
            self._pool.shutdown(cancel_futures=True)
        return False

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_ignore_ctrl_c)
        return self._pool

    def submit(self, fn, *args) -> Future:
        """Run ``fn(*args)`` (a module-level function) in the pool, ahead of the figures
        added after it: the figure stage's training jobs."""
        return self._executor().submit(fn, *args)

    def add(self, figures) -> None:
        """Look ``figures`` up in the cache; start drawing the ones that are not there."""
        misses = []
        for r in figures:
            self._figures.append(r)
            if r.kind.module not in self._codes:
                self._codes[r.kind.module] = code_digest(r.kind.module)
            k = cache.key(self._codes[r.kind.module], r.figure.params, r.facts, r.prepared.data)
            hit = self.store.get(k, list(r.ref.files))
            if hit is None:
                misses.append((r, k))
            else:
                self._parts[r.ref.id] = hit
                self.report.cached.append(r.ref.id)
        # the longest first, so the pool finishes together
        misses.sort(key=lambda t: -int(t[0].facts.get("frames", 1)))
        for r, k in misses:
            args = (r.kind.module, r.figure.params, r.prepared.data, r.facts)
            if self.jobs == 1:
                self._todo.append((r, k, _timed_draw(*args)))
            else:
                self._todo.append((r, k, self._executor().submit(_timed_draw, *args)))

    def finish(self) -> Report:
        """Wait for the drawings, store them, and return every file of every figure added."""
        for r, k, job in self._todo:
            files, seconds = job if self.jobs == 1 else job.result()
            missing = set(r.ref.files) - set(files)
            if missing:
                raise RuntimeError(f"figure '{r.ref.id}': {r.kind.module}.render made no "
                                   f"{', '.join(sorted(missing))}")
            self.store.put(k, files)
            self._parts[r.ref.id] = files
            self.report.rendered.append(r.ref.id)
            log.info("figure %s: drawn in %.2f s", r.ref.id, seconds)
        self._todo = []
        for r in self._figures:
            for part, path in r.ref.files.items():
                self.report.files[path] = self._parts[r.ref.id][part]
        self.report.rendered.sort()
        self.report.seconds = time.perf_counter() - self._start
        log.info("figures: %d drawn, %d from the cache (%s/), %.1f s", len(self.report.rendered),
                 len(self.report.cached), OUT_DIR, self.report.seconds)
        return self.report


def render_all(figures: list[Resolved] | tuple[Resolved, ...], cache_dir: Path,
               jobs: int | None = None) -> Report:
    """Every file of every figure, drawing only those whose key is not cached."""
    with Renderer(cache_dir, jobs) as renderer:
        renderer.add(figures)
        return renderer.finish()
