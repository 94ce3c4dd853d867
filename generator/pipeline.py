"""The whole flow: the hand-written docs are read, every page producer runs, the
navigation is derived from the site map, then the output folder is synced.

The figure stage's process pool trains and draws while this process writes the
pages (a first build starts the training even before it hashes its inputs); the
few producers that list what only a drawing tells run after it.

The output folder is the builder's whole docs folder: hand-written and
generated pages of a section share one folder there, so every page has a clean
URL. Nothing is written until every producer has succeeded: a bad spec or a
template mistake leaves the previously generated pages exactly as they were.
"""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from . import descriptions, fingerprint
from .errors import UserError
from .output import Output, SyncReport, check_out_dir, sync_tree
from .settings import OFFLINE_TOKEN, REPOSITORY_TOKEN, Settings, offline_download_url

if TYPE_CHECKING:
    from .figures.library import FigureRefs

log = logging.getLogger(__name__)


@dataclass
class BuildContext:
    """What a producer may read, and where it declares pages for the navigation."""

    settings: Settings
    #: Every figure by id. While the figure stage draws, a ref leaves what only the drawing
    #: measures pending (``generator.figures.stage.PendingRef``; see :data:`AFTER_DRAWING`).
    figures: "FigureRefs | None" = None
    #: section title or slug -> [[page title, path relative to the output folder], ...]
    nav: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))

    def add_nav(self, section: str, title: str, path: str) -> None:
        """List ``path`` in the nav section ``section`` after its declared pages.

        ``title`` is plain text (a spec's name, say): the nav writer escapes it.
        """
        self.nav[section].append([title, path])


Producer = Callable[[BuildContext], Iterable[Output]]

#: Page producers in pipeline order; each returns the files it generates. Named as
#: "module:function" so that a build with nothing to do never imports them.
PRODUCERS: list[Producer | str] = [
    "generator.pages.foundations:outputs",
    "generator.pages.architectures:outputs",
    "generator.pages.reference:outputs",
    "generator.pages.calculator:outputs",
    "generator.pages.explorer:outputs",
    "generator.pages.beyond:outputs",
    "generator.pages.exercises:outputs",
    "generator.pages.gallery:outputs",
    # Last: the section indexes and the nav file list what the others announced.
    "generator.pages.navigation:outputs",
]

#: Producers that read what only the drawings tell (the figures' file sizes). The
#: producers before the first of them run while the figure stage's pool draws; it and
#: every producer after it run once the drawings are done.
AFTER_DRAWING = ("generator.pages.gallery:outputs",)

#: Files and folders of the docs folder that are not pages to copy.
_NOT_COPIED = (".",)


def handwritten(settings: Settings) -> list[Output]:
    """The hand-written docs folder as outputs: its pages and assets, copied as they are,
    but for the settings' tokens in a Markdown page (:func:`_tokens`): ``{{ repository }}``
    becomes the repository's address, ``{{ offline_download }}`` the published offline
    bundle's.

    Dot files are skipped, and so are the users' specs (inputs, not pages) and a
    ``generated`` folder left by versions that wrote into ``docs/``.
    """
    docs = settings.path("docs_dir")
    skip = {settings.path("user_specs").resolve()}
    legacy = docs / "generated"
    if (legacy / ".nav.json").is_file():
        log.warning("%s is output of an older version; it is not copied (delete it)", legacy)
        skip.add(legacy.resolve())
    found: list[Output] = []
    if not docs.is_dir():
        raise UserError(f"{settings.docs_dir}: the docs folder does not exist")

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(_NOT_COPIED) or entry.resolve() in skip:
                continue
            if entry.is_dir():
                walk(entry)
            elif entry.is_file():
                data = entry.read_bytes()
                if entry.suffix == ".md":
                    for token, value in _tokens(settings):
                        if token.encode() in data:
                            try:
                                data = data.replace(token.encode(), value().encode())
                            except UserError as exc:
                                raise UserError(f"{entry.relative_to(settings.root)}: writes "
                                                f"{token}, but {exc}") from None
                found.append(Output(entry.relative_to(docs).as_posix(), data))

    walk(docs)
    return found


def _repository(settings: Settings) -> str:
    if not settings.repository:
        raise UserError("pyproject.toml has no Repository in [project.urls]")
    return settings.repository


def _tokens(settings: Settings):
    """What a hand-written page may write, and what each becomes (computed only if used)."""
    return ((REPOSITORY_TOKEN, lambda: _repository(settings)),
            (OFFLINE_TOKEN, lambda: offline_download_url(settings)))


def _name(producer: Producer | str) -> str:
    return producer if isinstance(producer, str) else f"{producer.__module__}:{producer.__qualname__}"


def _resolve(producer: Producer | str) -> Producer:
    if not isinstance(producer, str):
        return producer
    module, _, function = producer.partition(":")
    return getattr(importlib.import_module(module), function)


def figure_stage(settings: Settings):
    """Every figure of the site, drawn at once: (outputs, refs by id)."""
    from .figures import stage

    return stage.render_all(settings)


def figure_steps(settings: Settings):
    """The figure stage of a build in steps (:class:`generator.figures.stage.Stage`),
    not started: what :func:`build` and :func:`collect` run."""
    from .figures import stage

    return stage.for_settings(settings)


def collect(settings: Settings, producers: list[Producer | str] | None = None,
            stage=None) -> list[Output]:
    """Read the docs folder and run every producer; return all outputs, writing nothing.

    The producers before :data:`AFTER_DRAWING` run while the figure stage draws (its
    refs say where each figure will be; :meth:`~generator.figures.stage.Stage.fill`
    then puts in what the drawings measured); the rest run after it. ``stage``: one
    the caller has started (:func:`build` starts the training first), else a new one.
    """
    from .learn.threads import one_blas_thread

    chosen = PRODUCERS if producers is None else producers
    late = next((i for i, p in enumerate(chosen) if _name(p) in AFTER_DRAWING), len(chosen))
    ctx = BuildContext(settings)
    outputs = handwritten(settings)
    seen = {out.path: f"{settings.docs_dir}/{out.path}" for out in outputs}
    with (figure_steps(settings) if stage is None else nullcontext(stage)) as figures:
        ctx.figures = figures.resolve()
        for ref in ctx.figures.values():
            for path in ref.files.values():
                if path in seen:
                    raise UserError(f"{seen[path]}: {path} is also a generated figure; rename it")
                seen[path] = "the figure stage"
        # while the pool draws, on one BLAS thread: BLAS threads spinning for a core
        # beside two busy workers made the pages' NumPy work tens of times slower
        with one_blas_thread():
            early = _produce(ctx, chosen[:late], seen)
        result = figures.finish()
        early = [replace(out, data=figures.fill(out.data)) for out in early]
    ctx.figures = result.refs
    outputs += [*result.outputs, *early, *_produce(ctx, chosen[late:], seen)]
    outputs = descriptions.add(outputs)  # every page's meta description (issue #18)
    _check_nav(outputs, settings.docs_dir)
    return outputs


def _produce(ctx: BuildContext, producers, seen: dict[str, str]) -> list[Output]:
    """Every output of ``producers``; ``seen``: path -> who wrote it (a path twice is an error)."""
    settings, found = ctx.settings, []
    for produce in map(_resolve, producers):
        for out in produce(ctx):
            if out.path in seen:
                raise UserError(
                    f"{seen[out.path]}: {out.path} is also generated by {produce.__module__}; "
                    "rename or remove one of them"
                    if seen[out.path].startswith(settings.docs_dir) else
                    f"{out.path}: generated twice (by {seen[out.path]} and {produce.__module__})"
                )
            seen[out.path] = produce.__module__
            found.append(out)
    return found


def _check_nav(outputs: list[Output], docs_dir: str) -> None:
    """Every page the nav names exists, and every page exists in the nav."""
    import yaml

    from .pages import navigation

    files = {o.path: o.data for o in outputs}
    if navigation.NAV_FILE not in files:
        return  # a partial build (tests choose their producers)
    listed = navigation.paths(yaml.safe_load(files[navigation.NAV_FILE])["nav"])
    missing = sorted(set(listed) - set(files))
    if missing:  # a hand-written page removed or renamed (generated ones always exist)
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise UserError(f"{docs_dir}/{missing[0]}: not found; the site's navigation lists "
                        f"this page{more} (see generator/pages/site_map.py)")
    unlisted = sorted(p for p in files if p.endswith(".md") and p not in listed)
    if unlisted:
        raise UserError(
            f"{unlisted[0]}: this page is in no section of the nav; declare it in "
            "generator/pages/site_map.py (or remove it)"
        )


def inputs_fingerprint(settings: Settings) -> str:
    """The hash of everything a full build's output depends on."""
    return fingerprint.inputs(settings, [_name(p) for p in PRODUCERS])


def build(settings: Settings, producers: list[Producer | str] | None = None) -> SyncReport:
    """Generate everything into ``settings.out_dir``, rewriting only changed files.

    When nothing the output depends on has changed since the last successful
    build (see ``generator.fingerprint``), no producer runs at all.
    """
    chosen = PRODUCERS if producers is None else producers
    out_dir = settings.path("out_dir")
    protected = [settings.path("docs_dir"), settings.path("user_specs")]
    check_out_dir(out_dir, root=settings.root, protected=protected)
    out_dir.mkdir(parents=True, exist_ok=True)  # an unusable folder fails now, not after the work
    # With no build on record one runs whatever the inputs are: its training starts
    # now, while they are hashed (a warm build imports none of the figure stage).
    stage = None if fingerprint.built_before(settings) else figure_steps(settings)
    with stage or nullcontext():
        if stage is not None:
            stage.train()
        inputs = fingerprint.inputs(settings, [_name(p) for p in chosen])
        files = fingerprint.unchanged(settings, inputs)
        if files is not None:
            log.info("nothing changed since the last build: %d files up to date", files)
            return SyncReport((), (), files)
        outputs = collect(settings, chosen, stage)
    report = sync_tree(outputs, out_dir, root=settings.root, protected=protected)
    fingerprint.record(settings, inputs)
    log.info(
        "generated %d files: %d written, %d removed, %d unchanged",
        len(outputs), len(report.written), len(report.removed), report.unchanged,
    )
    return report
