"""The catalog resolved: each figure's data computed, its files named, its
alt text and caption written; and what page templates need to embed one.

No matplotlib here: pages can ask for figure references without drawing.
"""

from __future__ import annotations

import hashlib
import json
import sys
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pathlib import Path

from .. import closure
from ..errors import UserError
from . import catalog
from .cache import PreparedCache
from .catalog import Figure
from .kind import Kind, Prepared
from .registry import KINDS
from . import wording

#: Figures live here, relative to the generator's output folder.
OUT_DIR = "figures"
#: Which file of a figure each rendered part becomes: suffix -> name pattern.
FILE_NAMES = {"gif": "{id}.gif", "svg": "{id}.svg", "last.svg": "{id}-last.svg",
              "png": "{id}.png"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CATALOG = "generator/figures/catalog.py"


@dataclass(frozen=True)
class FigureRef:
    """What a page needs to show one figure; see the ``figure`` macro."""

    id: str
    kind: str
    alt: str
    caption: str
    animated: bool
    #: suffix ("gif", "svg", "last.svg", "png") -> path relative to the output folder
    files: dict
    #: The gallery section the figure is listed under, and its parameters.
    section: str = ""
    params: dict = field(default_factory=dict, compare=False)
    #: suffix -> size in bytes, once the figure stage has rendered it.
    sizes: dict = field(default_factory=dict, compare=False)

    @property
    def main(self) -> str:
        """The file to show on screen: the GIF of an animation, else the still."""
        return self.files["gif" if self.animated else next(iter(self.files))]

    def src(self, page: str, part: str | None = None) -> str:
        """Path of the figure (or of ``part``) relative to ``page`` (a path in the output folder)."""
        target = self.main if part is None else self.files[part]
        return posixpath.relpath(target, posixpath.dirname(page) or ".")

    @property
    def legible_style(self) -> str:
        """The image's style attribute for a narrow screen: none before the figure stage
        measures the drawing (its :class:`~generator.figures.stage.StagedRef` has one)."""
        return ""

    @property
    def alt_md(self) -> str:
        """The alt text, escaped for the ``![alt](src)`` of Markdown."""
        return re.sub(r"([\\`*_\[\]{}<>#|!])", r"\\\1", " ".join(self.alt.split()))


@dataclass(frozen=True)
class Resolved:
    figure: Figure
    kind: Kind
    prepared: Prepared
    #: the facts as JSON values (tuples become lists): what the drawing code receives
    facts: dict
    ref: FigureRef


def _prepare_code(kind: Kind) -> str:
    """The code part of a computed input's key: the import closure of the module
    holding ``kind.prepare``, and the data files that module declares it reads."""
    module = sys.modules[kind.prepare.__module__]
    h = hashlib.sha256(closure.digest(module.__name__).encode())
    for path in getattr(module, "DATA_FILES", ()):
        data = Path(path).read_bytes()
        h.update(f"{Path(path).name}:{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()


def resolve_one(fig: Figure, prepared_cache: PreparedCache | None = None) -> Resolved:
    """Compute one figure's data and describe it; a bad entry becomes a UserError."""
    where = f"{_CATALOG}: figure '{fig.id}'"
    if not _ID.match(fig.id):
        raise UserError(f"{where}: id must be lowercase letters, digits and single dashes")
    kind = KINDS.get(fig.kind)
    if kind is None or kind.prepare is None:
        known = sorted(k.name for k in KINDS.values() if k.prepare is not None)
        raise UserError(f"{where}: unknown kind '{fig.kind}' (expected one of {', '.join(known)})")
    try:
        if prepared_cache is None:
            prepared = kind.prepare(fig.params)
        else:
            prepared = prepared_cache.get_or_compute(_prepare_code(kind), kind.name, fig.params,
                                                     kind.prepare, Prepared)
    except (ValueError, KeyError, TypeError) as exc:
        what = f"missing parameter {exc}" if isinstance(exc, KeyError) else str(exc)
        raise UserError(f"{where} ({fig.kind}): {what}") from None
    facts = json.loads(json.dumps(prepared.facts))
    alt, caption = kind.describe(fig.params, facts)
    fields = wording.fields(facts)
    try:
        alt = fig.alt.format(**fields) if fig.alt else alt
        caption = fig.caption.format(**fields) if fig.caption else caption
    except (KeyError, IndexError) as exc:
        raise UserError(f"{where}: alt/caption uses {exc}, which is not a fact of this figure "
                        f"(facts: {', '.join(sorted(facts))})") from None
    animated = kind.animated(fig.params)
    parts = ["gif", "svg", "last.svg"] if animated else [kind.still]
    files = {p: f"{OUT_DIR}/" + FILE_NAMES[p].format(id=fig.id) for p in parts}
    ref = FigureRef(fig.id, fig.kind, alt, caption, animated, files, kind.section, fig.params)
    return Resolved(fig, kind, prepared, facts, ref)


def resolve(figures: list[Figure], prepared_cache: PreparedCache | None = None) -> list[Resolved]:
    """Resolve every figure; ids must be unique."""
    seen: set[str] = set()
    out = []
    for fig in figures:
        if fig.id in seen:
            raise UserError(f"{_CATALOG}: figure id '{fig.id}' is used twice")
        seen.add(fig.id)
        out.append(resolve_one(fig, prepared_cache))
    return out


@lru_cache(maxsize=None)
def resolved_catalog(cache_dir: Path | None = None) -> tuple[Resolved, ...]:
    """The whole catalog, resolved once per process; computed inputs are cached on disk
    in ``cache_dir/prepared`` (the ``cache_dir`` setting) when it is given."""
    prepared = PreparedCache(None if cache_dir is None else Path(cache_dir) / "prepared")
    return tuple(resolve(catalog.FIGURES, prepared))


class FigureRefs(dict):
    """id -> :class:`FigureRef`; an unknown id is a build error naming the catalog."""

    def __missing__(self, key):
        near = [k for k in self if key.split("-")[0] in k][:5]
        hint = f" (similar: {', '.join(near)})" if near else ""
        raise UserError(f"figure '{key}' is not in {_CATALOG}{hint}")


def refs() -> FigureRefs:
    """Every catalog figure by id (resolved without a disk cache, not drawn)."""
    return FigureRefs((r.ref.id, r.ref) for r in resolved_catalog())


def page_context(page: str, figures: FigureRefs | None = None) -> dict:
    """Context a page template needs for ``{% from "macros/figures.md.j2" import figure with context %}``.

    ``figures`` are the refs of the figure stage (:func:`generator.figures.stage.render_all`);
    without them, the catalog's figures only.
    """
    return {"figures": refs() if figures is None else figures, "page_path": page}
