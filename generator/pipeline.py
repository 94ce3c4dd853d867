"""The whole flow: every page producer runs, then the output folder is synced.

Nothing is written until every producer has succeeded: a bad spec or a
template mistake leaves the previously generated pages exactly as they were.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import fingerprint
from .errors import UserError
from .render import Output, SyncReport, sync_tree
from .settings import Settings

log = logging.getLogger(__name__)

#: The name of the file through which generated pages join the MkDocs nav.
NAV_FILE = ".nav.json"


@dataclass
class BuildContext:
    """What a producer may read, and where it declares pages for the navigation."""

    settings: Settings
    #: section title -> [[page title, path relative to the output folder], ...]
    nav: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))

    def add_nav(self, section: str, title: str, path: str) -> None:
        """Ask for ``path`` to be listed in the nav section ``section`` (if mkdocs.yml doesn't)."""
        self.nav[section].append([title, path])


Producer = Callable[[BuildContext], Iterable[Output]]

#: Page producers in pipeline order; each returns the files it generates. Named as
#: "module:function" so that a build with nothing to do never imports them.
PRODUCERS: list[Producer | str] = [
    "generator.pages.foundations:outputs",
    "generator.pages.architectures:outputs",
    "generator.pages.reference:outputs",
    "generator.pages.gallery:outputs",
    "generator.pages.calculator:outputs",
    "generator.pages.beyond:outputs",
]


def _name(producer: Producer | str) -> str:
    return producer if isinstance(producer, str) else f"{producer.__module__}:{producer.__qualname__}"


def _resolve(producer: Producer | str) -> Producer:
    if not isinstance(producer, str):
        return producer
    module, _, function = producer.partition(":")
    return getattr(importlib.import_module(module), function)


def collect(settings: Settings, producers: list[Producer | str] | None = None) -> list[Output]:
    """Run every producer and return all outputs, plus the nav file; writes nothing."""
    ctx = BuildContext(settings)
    outputs: list[Output] = []
    seen: dict[str, str] = {}
    for produce in map(_resolve, PRODUCERS if producers is None else producers):
        for out in produce(ctx):
            if out.path in seen:
                raise UserError(
                    f"{out.path}: generated twice (by {seen[out.path]} and {produce.__module__})"
                )
            seen[out.path] = produce.__module__
            outputs.append(out)
    nav = json.dumps(dict(ctx.nav), indent=1, sort_keys=True) + "\n"
    outputs.append(Output(NAV_FILE, nav.encode("utf-8")))
    return outputs


def build(settings: Settings, producers: list[Producer | str] | None = None) -> SyncReport:
    """Generate everything into ``settings.out_dir``, rewriting only changed files.

    When nothing the output depends on has changed since the last successful
    build (see ``generator.fingerprint``), no producer runs at all.
    """
    chosen = PRODUCERS if producers is None else producers
    inputs = fingerprint.inputs(settings, [_name(p) for p in chosen])
    files = fingerprint.unchanged(settings, inputs)
    if files is not None:
        log.info("nothing changed since the last build: %d files up to date", files)
        return SyncReport((), (), files)
    outputs = collect(settings, chosen)
    report = sync_tree(outputs, settings.path("out_dir"))
    fingerprint.record(settings, inputs)
    log.info(
        "generated %d files: %d written, %d removed, %d unchanged",
        len(outputs), len(report.written), len(report.removed), report.unchanged,
    )
    return report
