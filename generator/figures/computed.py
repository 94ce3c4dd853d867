"""Figures of trained networks (:mod:`.trained`), resolved like catalog figures.

The catalog's figures are computed from their parameters alone. A figure of
a trained network needs that network, so these figures arrive with their
:class:`~.prepare.Prepared` data already computed (by ``figures(lab)`` of a
module of :mod:`.trained`) and their own alt text and caption, written from
the facts. Everything else is the library's: the :class:`~.catalog.Figure`
entry, the content-addressed cache and the pool of :mod:`.build`, and the
``figure`` macro of ``templates/macros/figures.md.j2``.

Nothing here imports matplotlib.
"""

from __future__ import annotations

import json

from ..errors import UserError
from .catalog import Figure
from .kind import Prepared
from .library import OUT_DIR, FILE_NAMES, FigureRef, Resolved
from .registry import KINDS
from . import wording


def resolve(fig: Figure, prepared: Prepared, where: str) -> Resolved:
    """A figure entry with its computed data, described from its facts.

    ``where`` names the module that lists the entry, for error messages.
    """
    kind = KINDS.get(fig.kind)
    if kind is None or kind.prepare is not None:
        known = sorted(k.name for k in KINDS.values() if k.prepare is None)
        raise UserError(f"{where}: figure '{fig.id}': unknown kind '{fig.kind}' "
                        f"(expected one of {', '.join(known)})")
    if not (fig.alt and fig.caption):
        raise UserError(f"{where}: figure '{fig.id}': give alt text and a caption")
    facts = json.loads(json.dumps(prepared.facts))
    fields = wording.fields(facts)
    try:
        alt, caption = fig.alt.format(**fields), fig.caption.format(**fields)
    except (KeyError, IndexError) as exc:
        raise UserError(f"{where}: figure '{fig.id}': alt/caption uses {exc}, which is not a "
                        f"fact of this figure (facts: {', '.join(sorted(facts))})") from None
    files = {kind.still: f"{OUT_DIR}/" + FILE_NAMES[kind.still].format(id=fig.id)}
    ref = FigureRef(fig.id, fig.kind, alt, caption, False, files, kind.section, fig.params)
    return Resolved(fig, kind, prepared, facts, ref)
