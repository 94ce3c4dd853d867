"""Figure library timings: cold render of every figure, warm rebuilds, and the bare MkDocs build.

Run from the repository root (``make bench`` does):

* cold: every figure of the catalog computed and drawn into an empty cache,
  in a fresh process, on all cores (target: under 60 s on 2 cores);
* warm ``python -m generator build`` with nothing changed;
* bare ``ATLAS_SKIP_GENERATE=1 mkdocs build --strict`` on the same docs;
* warm ``make site`` equivalent: the two one after the other
  (target: at most 1.25 times the bare build);
* the total size of the figures, and the largest of each format.

Each warm number is the median of several runs (the minimum in brackets):
the machine may be busy with other work.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
MKDOCS = str(Path(PY).with_name("mkdocs"))
RUNS = 5

COLD = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from generator.figures import build, catalog, library
figs = library.resolve(catalog.FIGURES)          # computed, no cached inputs
report = build.render_all(figs, Path(sys.argv[1]))
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "drawn": len(report.rendered), "jobs": build.cpu_count(),
                  "sizes": {p: len(b) for p, b in report.files.items()}}))
"""


def env(**extra) -> dict:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    e.setdefault("SOURCE_DATE_EPOCH", "315532800")
    e.update(extra)
    return e


def timed(cmd: list[str], **extra) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env(**extra), check=True, capture_output=True)
    return time.perf_counter() - t


def series(runs: int, fn) -> tuple[float, float]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), min(times)


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = subprocess.run([PY, "-c", COLD, str(tmp / "cache")], cwd=ROOT, env=env(),
                             check=True, capture_output=True, text=True).stdout
        cold = json.loads(out.strip().splitlines()[-1])
        generate = [PY, "-m", "generator", "build"]
        bare = [MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(tmp / "site")]
        timed(generate)  # make sure everything is cached and written
        timed(bare, ATLAS_SKIP_GENERATE="1")  # and the file system is warm
        warm = series(RUNS, lambda: timed(generate))
        bare_t = series(RUNS, lambda: timed(bare, ATLAS_SKIP_GENERATE="1"))
        site = series(RUNS, lambda: timed(generate) + timed(bare, ATLAS_SKIP_GENERATE="1"))

    sizes = cold["sizes"]
    print(f"figures: {len({Path(p).stem.removesuffix('-last') for p in sizes})} in the catalog, "
          f"{len(sizes)} files")
    print(f"cold render of every figure:        {cold['seconds']:6.2f} s on {cold['jobs']} "
          f"cores ({cold['drawn']} drawn; target < 60 s)")
    print(f"warm python -m generator build:     {warm[0]:6.2f} s  (min {warm[1]:.2f})")
    print(f"bare mkdocs build --strict:         {bare_t[0]:6.2f} s  (min {bare_t[1]:.2f})")
    print(f"warm make site (generator + bare):  {site[0]:6.2f} s  (min {site[1]:.2f}) = "
          f"{site[0] / bare_t[0]:.2f}x the bare build (target <= 1.25x)")
    print(f"total size of all figures:          {sizes and kb(sum(sizes.values()))}")
    for ext in ("gif", "svg", "png"):
        mine = {p: n for p, n in sizes.items() if p.endswith("." + ext)}
        if mine:
            path = max(mine, key=mine.get)
            print(f"  {ext}: {len(mine):3d} files, {kb(sum(mine.values())):>9}, "
                  f"largest {Path(path).name} {kb(mine[path])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
