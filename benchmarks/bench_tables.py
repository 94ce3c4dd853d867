"""Time the layer tables: parse each built-in spec, compute its table, write its JSON.

Run: ``python benchmarks/bench_tables.py`` from the repository root. Each timing
is the median of several repeats. A benchmark, not a test: nothing fails if it
is slow; it shows whether the tables can stay in every site build.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.specs import BUILTINS, load_builtin  # noqa: E402
from generator.tables import layer_table, to_csv, to_json  # noqa: E402

REPEATS = 7


def median_ms(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    print(f"{'network':<14} {'rows':>5} {'parse ms':>9} {'table ms':>9} {'json+csv ms':>12}")
    total = 0.0
    for name in BUILTINS:
        net = load_builtin(name)
        table = layer_table(net)
        parse = median_ms(lambda: load_builtin(name))
        compute = median_ms(lambda: layer_table(net))
        write = median_ms(lambda: (to_json(table), to_csv(table)))
        total += parse + compute + write
        rows = sum(1 for _ in table.walk())
        print(f"{name:<14} {rows:>5} {parse:>9.2f} {compute:>9.2f} {write:>12.2f}")
    print(f"{'all':<14} {'':>5} {total:>33.1f} ms")


if __name__ == "__main__":
    main()
