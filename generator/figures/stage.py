"""The figure stage: every figure of the site, resolved before any page and drawn
while the pages are written.

:class:`Stage` covers the catalog (:mod:`.catalog`, computed from parameters) and
the trained-network figures (:mod:`.trained`, computed from the networks
``generator.learn`` reads from the cache folder or trains). The training jobs that
are due go to the process pool first (:mod:`.trained.pool`), then the catalog's
misses; once the jobs are done the trained networks are loaded from the cache
folder and their figures computed and drawn in the same pool, so both cores work
until the end. Every figure's ref (what page producers embed figures by,
``page_context(path, refs)``) is known before its drawing: the pipeline writes
most pages meanwhile, and fills in what the drawings measure afterwards
(:meth:`Stage.fill`). Pages never draw. :func:`render` and :func:`render_all` run
the whole stage at once.

Nothing here imports matplotlib (the pool's workers do, and only for misses).
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..learn.threads import one_blas_thread
from ..render import Output
from ..settings import Settings
from . import build, cache, catalog, computed, legible, library, theme, trained
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

    @property
    def legible_style(self) -> str:
        """The image's style attribute (with its leading space) that keeps it at least
        :attr:`phone_px` wide; empty without one. The ``figure`` macro writes it."""
        return f' style="--atlas-legible: {self.phone_px}px"' if self.phone_px else ""


class PendingRef:
    """A figure's ref before it is drawn: everything a page needs but what the drawing
    measures. :attr:`legible_style` is a token :meth:`Stage.fill` replaces; the sizes
    are not known yet, so a producer that lists them runs after the stage
    (``generator.pipeline.AFTER_DRAWING``)."""

    def __init__(self, ref: library.FigureRef, token: str):
        self._ref, self.legible_style = ref, token

    def __getattr__(self, name):
        if name == "sizes":
            raise RuntimeError(f"figure '{self._ref.id}': its sizes are known only once it is "
                               "drawn; list the producer in generator.pipeline.AFTER_DRAWING")
        return getattr(self._ref, name)


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


class Stage:
    """The figure stage in steps, so the pipeline can work while the pool draws.

    :meth:`train` hands the training jobs that are due to the pool (a first build does
    this before it even hashes its inputs); :meth:`resolve` resolves the catalog and
    starts drawing it, waits for the training, then resolves and starts the
    trained-network figures, and returns every figure's ref *before* any is drawn:
    :class:`PendingRef` (its :attr:`~PendingRef.legible_style` is a token that
    :meth:`fill` replaces once the drawings are measured); :meth:`finish` waits for
    the drawings. A use as a context manager shuts the pool down on any exit.
    """

    def __init__(self, cache_dir: Path, jobs: int | None = None, with_trained: bool = True,
                 extra=()):
        """``extra``: catalog entries beyond the built-in catalog, or a function that
        returns them when :meth:`resolve` needs them (the users' diagrams)."""
        self.cache_dir = Path(cache_dir)
        self.with_trained = with_trained
        self._extra = extra
        self._renderer = build.Renderer(self.cache_dir / "figures", jobs)
        self._training: list | None = None
        self._figures: list[library.Resolved] = []
        #: a token per build: a user's text cannot name it (and it never reaches a page)
        self._nonce = secrets.token_hex(8)
        self._pending: dict[str, str] = {}
        self._final: FigureRefs | None = None
        self._prepared = PreparedCache(self.cache_dir / "prepared")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._renderer.__exit__(*exc)

    def train(self) -> None:
        """Submit the training jobs that are due (once; none with one worker)."""
        if self._training is None:
            self._training = _start_training(self._renderer, self.cache_dir) \
                if self.with_trained else []

    def resolve(self) -> FigureRefs:
        """Start drawing every figure; each figure's ref, its drawn facts still pending."""
        self.train()
        extra = self._extra() if callable(self._extra) else self._extra
        figures = [_with_dark(r) for r in library.resolve(
            [*catalog.FIGURES, *extra], self._prepared)]
        self._renderer.add(figures)  # drawn once a worker is free of the training …
        if self.with_trained:
            _await_training(self._training, self.cache_dir)
            more = [_with_dark(r) for r in _trained(self.cache_dir)]  # … networks loaded
            taken = {r.ref.id for r in figures}
            for r in more:
                if r.ref.id in taken:
                    raise ValueError(f"figure id '{r.ref.id}' is used twice")
                taken.add(r.ref.id)
            self._renderer.add(more)
            figures += more
        self._figures = figures
        refs = FigureRefs()
        for n, r in enumerate(figures):
            token = f"atlas-pending-{self._nonce}-{n}"
            self._pending[token] = r.ref.id
            refs[r.ref.id] = PendingRef(r.ref, token)
        return refs

    def finish(self) -> "StageResult":
        """Wait for the drawings: the figure files and the refs with what was measured."""
        report = self._renderer.finish()
        # every entry this stage used was read or written just now: what is left over
        # from code no build has run for a while goes
        removed = self._renderer.store.prune() + self._prepared.prune()
        if removed:
            log.info("figure caches: %d entries unused for %d days removed", removed,
                     cache.KEEP_DAYS)
        refs = FigureRefs()
        for r in self._figures:
            refs[r.ref.id] = _staged(r.ref, report)
        self._final = refs
        outputs = [Output(path, data) for path, data in sorted(report.files.items())]
        return StageResult(outputs, refs)

    def fill(self, data: bytes) -> bytes:
        """``data`` (a page written with pending refs) with each token as :meth:`finish`
        measured it; an internal error if a token is left."""
        if self._nonce.encode() not in data:
            return data
        prefix = f"atlas-pending-{self._nonce}-".encode()
        out = re.sub(re.escape(prefix) + rb"\d+", lambda m: self._final[
            self._pending[m.group().decode()]].legible_style.encode(), data)
        if prefix in out:
            raise RuntimeError("a pending figure token was left in a page")
        return out


def render(cache_dir: Path, jobs: int | None = None,
           with_trained: bool = True, extra=()) -> StageResult:
    """The whole stage at once, with an explicit cache folder
    (``settings.path("cache_dir")``); ``extra``: catalog entries beyond the built-in
    catalog (the diagrams of the users' specs)."""
    with Stage(cache_dir, jobs, with_trained, extra) as stage:
        stage.resolve()
        return stage.finish()


def for_settings(settings: Settings, jobs: int | None = None) -> Stage:
    """The stage of a build: the catalog, the trained networks and the users' diagrams."""
    from . import architecture

    return Stage(settings.path("cache_dir"), jobs,
                 extra=lambda: architecture.spec_figures(settings.path("user_specs")))


def render_all(settings: Settings, jobs: int | None = None) -> tuple[list[Output], FigureRefs]:
    """Every figure file, and the refs by id: the figure stage of the pipeline at once."""
    with for_settings(settings, jobs) as stage:
        stage.resolve()
        result = stage.finish()
    return result.outputs, result.refs
