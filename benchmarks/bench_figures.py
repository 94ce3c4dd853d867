"""Figure library timings: cold render of every figure, warm rebuilds, and the bare MkDocs build.

Run from the repository root (``make bench`` does):

* cold: the figure stage (every figure, catalog and trained networks) computed
  and drawn into an empty figure cache, in a fresh process, with one pool on
  all cores (target: under 60 s on 2 cores); the trained networks' weights are
  copied from the project's cache, so nothing trains. For comparison, the same
  with two pools one after the other, catalog then trained networks, as the
  gallery and Beyond producers drew them before the stage;
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
from generator.figures import build, stage
cache, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "one pool":
    result = stage.render(cache)
    files = {o.path: o.data for o in result.outputs}
else:  # two pools one after the other: the catalog, then the trained networks' figures
    from generator.figures import catalog, library
    from generator.figures.cache import PreparedCache
    figs = library.resolve(catalog.FIGURES, PreparedCache(cache / "prepared"))
    files = dict(build.render_all(figs, cache / "figures").files)
    files.update(build.render_all(stage._trained(cache), cache / "figures").files)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "jobs": build.cpu_count(),
                  "sizes": {p: len(b) for p, b in files.items()}}))
"""
#: What the cold runs copy from the project's cache: the trained networks' weights.
WEIGHTS = ("lenet5", "autoencoder")


def cold_run(tmp: Path, mode: str) -> dict:
    """One cold figure stage in a fresh process and an empty figure cache."""
    import shutil

    cache = tmp / mode.replace(" ", "-")
    project = ROOT / ".cache" / "generator"
    for name in WEIGHTS:
        if (project / name).is_dir():
            shutil.copytree(project / name, cache / name)
    out = subprocess.run([PY, "-c", COLD, str(cache), mode], cwd=ROOT, env=env(),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


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
        cold = cold_run(tmp, "one pool")
        two = cold_run(tmp, "two pools")
        generate = [PY, "-m", "generator", "build"]
        bare = [MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(tmp / "site")]
        timed(generate)  # make sure everything is cached and written
        timed(bare, ATLAS_SKIP_GENERATE="1")  # and the file system is warm
        warm = series(RUNS, lambda: timed(generate))
        bare_t = series(RUNS, lambda: timed(bare, ATLAS_SKIP_GENERATE="1"))
        site = series(RUNS, lambda: timed(generate) + timed(bare, ATLAS_SKIP_GENERATE="1"))

    sizes = cold["sizes"]
    print(f"figures: {len({Path(p).stem.removesuffix('-last') for p in sizes})}, "
          f"{len(sizes)} files")
    print(f"cold figure stage, one pool:        {cold['seconds']:6.2f} s on {cold['jobs']} "
          f"cores (target < 60 s)")
    print(f"  two pools one after the other:    {two['seconds']:6.2f} s")
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
