"""The whole flow: every page producer runs, then the output folder is synced.

Nothing is written until every producer has succeeded: a bad spec or a
template mistake leaves the previously generated pages exactly as they were.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .errors import UserError
from .pages import foundations, reference
from .pages import gallery
from .pages import architectures
from .pages import calculator
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

#: Page producers in pipeline order; each returns the files it generates.
PRODUCERS: list[Producer] = [
    foundations.outputs,
    architectures.outputs,
    reference.outputs,
    gallery.outputs,
    calculator.outputs,
]


def collect(settings: Settings, producers: list[Producer] | None = None) -> list[Output]:
    """Run every producer and return all outputs, plus the nav file; writes nothing."""
    ctx = BuildContext(settings)
    outputs: list[Output] = []
    seen: dict[str, str] = {}
    for produce in PRODUCERS if producers is None else producers:
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


def build(settings: Settings, producers: list[Producer] | None = None) -> SyncReport:
    """Generate everything into ``settings.out_dir``, rewriting only changed files."""
    outputs = collect(settings, producers)
    report = sync_tree(outputs, settings.path("out_dir"))
    log.info(
        "generated %d files: %d written, %d removed, %d unchanged",
        len(outputs), len(report.written), len(report.removed), report.unchanged,
    )
    return report
