"""Computed totals next to the figures a reference published (kept in the spec YAML)."""

from __future__ import annotations

from dataclasses import dataclass

from ..specs import Network, PublishedCount
from .table import Table

__all__ = ["Comparison", "compare"]

#: The quantities a spec may publish, and how pages name them.
QUANTITIES = {"params": "parameters", "macs": "multiply-accumulates"}


@dataclass(frozen=True)
class Comparison:
    quantity: str          # "params" or "macs"
    published: PublishedCount
    computed: int
    source: str
    url: str | None
    note: str | None

    @property
    def matches(self) -> bool:
        """Equal, exactly for an exact figure, else to the digits the source printed."""
        return self.published.matches(self.computed)

    @property
    def computed_as_printed(self) -> str:
        """The computed value written the way the published figure is (e.g. '4.089G')."""
        if self.published.exact:
            return f"{self.computed:,}"
        unit = {10**3: "K", 10**6: "M", 10**9: "G"}[self.published.unit]
        return f"{self.published.rounded(self.computed)}{unit}"


def compare(network: Network, table: Table) -> tuple[Comparison, ...]:
    """One comparison per published figure; none when the table is for another input size
    than the spec's (the published figures are for the spec's input)."""
    if table.input_shape != network.input:
        return ()
    computed = {"params": table.totals.params, "macs": table.totals.macs}
    out = []
    for pub in network.published:
        for quantity in QUANTITIES:
            figure = getattr(pub, quantity)
            if figure is not None:
                out.append(Comparison(quantity, figure, computed[quantity], pub.source,
                                      pub.url, pub.note))
    return tuple(out)
