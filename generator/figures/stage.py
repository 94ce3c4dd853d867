"""The figure stage: every figure of the site, resolved and drawn before any page.

One call, :func:`render_all`, covers the catalog (:mod:`.catalog`, computed
from parameters) and the trained-network figures (:mod:`.trained`, computed
from the networks ``generator.learn`` reads from the cache folder or trains).
The training jobs that are due go to the process pool first
(:mod:`.trained.pool`), then the catalog's misses; once the jobs are done the
trained networks are loaded from the cache folder and their figures computed
and drawn in the same pool, so both cores work until the end. It returns the figure
files as outputs and the refs that page producers embed figures by
(``page_context(path, refs)``); pages never draw.

Nothing here imports matplotlib (the pool's workers do, and only for misses).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..learn.threads import one_blas_thread
from ..render import Output
from ..settings import Settings
from . import build, catalog, computed, legible, library, theme, trained
from .cache import PreparedCache
from .library import FigureRefs
from .trained import pool
from .trained.lab import Lab

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StagedRef(library.FigureRef):
    """A figure as the stage drew it: its dark-scheme files are among ``files``
    (``dark.svg``, ``dark.gif``, ``dark.last.svg``: :data:`theme.DARK_PARTS`)."""

    #: The least width in CSS px at which its smallest text is legible.MIN_TEXT_PX px
    #: (0: no SVG to measure, e.g. a photograph).
    phone_px: int = 0


def _with_dark(r: library.Resolved) -> library.Resolved:
    """``r`` with the dark variants of its files added to its ref (drawn by build.draw)."""
    files = dict(r.ref.files)
    for part, dark in theme.DARK_PARTS.items():
        if part in files:
            files[dark] = theme.dark_path(files[part])
    return replace(r, ref=replace(r.ref, files=files))


def _staged(ref: library.FigureRef, report: build.Report) -> StagedRef:
    sizes = {part: len(report.files[path]) for part, path in ref.files.items()}
    still = ref.files.get("svg")
    phone = legible.legible_px(report.files[still]) if still else 0
    return StagedRef(**{f.name: getattr(ref, f.name) for f in fields(ref)} | {"sizes": sizes},
                     phone_px=phone)


@dataclass(frozen=True)
class StageResult:
    #: The figure files, paths relative to the output folder (``figures/<id>.<ext>``).
    outputs: list[Output]
    #: Every figure by id, with its sizes: what pages and the gallery read.
    refs: FigureRefs


def _trained(cache_dir: Path) -> list[library.Resolved]:
    """Every trained-network figure, its data computed from the networks in ``cache_dir``."""
    # One BLAS thread: while the pool's workers draw, BLAS threads spinning for a
    # core slowed this tenfold on 2 cores; and one thread fixes the order of every
    # sum, so the arrays (and so the figures' keys) are the same on any machine.
    with one_blas_thread():
        return [computed.resolve(fig, prepared, where)
                for where, fig, prepared in trained.figures(Lab(cache_dir))]


def _start_training(renderer: build.Renderer, cache_dir: Path) -> list:
    """Submit the training jobs that are due to the pool, before any figure: (job, future).

    None with one worker: then :class:`.trained.lab.Lab` trains in this process."""
    if renderer.jobs == 1:
        return []
    return [(job, renderer.submit(pool.run, job, cache_dir)) for job in pool.due(cache_dir)]


def _await_training(training: list, cache_dir: Path) -> None:
    for job, future in training:
        seconds = future.result()
        pool.record(cache_dir, job)
        log.info("training job %s: %.1f s in the pool", job.__name__, seconds)


def render(cache_dir: Path, jobs: int | None = None,
           with_trained: bool = True, extra=()) -> StageResult:
    """The stage with an explicit cache folder (``settings.path("cache_dir")``); ``extra``:
    catalog entries beyond the built-in catalog (the diagrams of the users' specs)."""
    cache_dir = Path(cache_dir)
    with build.Renderer(cache_dir / "figures", jobs) as renderer:
        # the pool trains first (the longest jobs first), while this process resolves …
        training = _start_training(renderer, cache_dir) if with_trained else []
        figures = [_with_dark(r) for r in library.resolve(
            [*catalog.FIGURES, *extra], PreparedCache(cache_dir / "prepared"))]
        renderer.add(figures)  # … and draws the catalog's misses once a worker is free;
        if with_trained:
            _await_training(training, cache_dir)
            more = [_with_dark(r) for r in _trained(cache_dir)]  # … the networks are loaded
            taken = {r.ref.id for r in figures}
            for r in more:
                if r.ref.id in taken:
                    raise ValueError(f"figure id '{r.ref.id}' is used twice")
                taken.add(r.ref.id)
            renderer.add(more)
            figures += more
        report = renderer.finish()
    refs = FigureRefs()
    for r in figures:
        refs[r.ref.id] = _staged(r.ref, report)
    outputs = [Output(path, data) for path, data in sorted(report.files.items())]
    return StageResult(outputs, refs)


def render_all(settings: Settings, jobs: int | None = None) -> tuple[list[Output], FigureRefs]:
    """Every figure file, and the refs by id: the figure stage of the pipeline."""
    from . import architecture

    result = render(settings.path("cache_dir"), jobs,
                    extra=architecture.spec_figures(settings.path("user_specs")))
    return result.outputs, result.refs
