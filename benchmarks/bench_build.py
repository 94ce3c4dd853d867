"""Whole-site build times against a bare MkDocs build of the same pages (issue #20).

Run from the repository root: ``python benchmarks/bench_build.py [--rounds R] [--users N]``
(``make bench`` runs it with the defaults).

Everything runs in a fresh clone of the committed HEAD in a temporary folder (the
front-end assets, which git ignores, are copied in), so the project's own cache and site
are never touched and uncommitted edits do not count. Per round, interleaved:

* **cold** ``python -m generator site``: empty generator cache, no build/ and no site/
  (trains the small networks, draws every figure, writes every page, builds, swaps);
* **bare** ``mkdocs build --strict`` of the docs the generator assembled, into a scratch
  folder: what MkDocs alone costs for the same pages;
* **warm** ``python -m generator site`` with nothing changed.

Then one more cold build, verbose, gives the timeline: when each training job, the
figure stage, the pages and MkDocs end, and the figures that took longest to draw.

The ratios cold/bare and warm/bare are taken per round (each against the bare build of
the same round) and given as median (min–max): a shared, noisy machine moves all three
together; the load averages are printed beside them. Times are wall clock (what a
contributor waits; the cold build uses both cores) with the CPU time of the child
processes beside them.

Then a quarter, half and all of ``--users`` specs (default 200) are written into the
clone's ``docs/specs`` (built-ins renamed, small and large, so the mix is realistic) and
measured at each size: the generator's build after adding them (their pages, tables,
diagrams), the generator again with every figure cached (its share of any build, and its
growth per spec, which stays constant when the share is linear), the bare MkDocs build, a
warm rebuild and the size of the site; then one cold build with all of them.
Targets: cold <= 4x bare, warm <= 1.1x bare. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.figures.build import cpu_count  # noqa: E402
from generator.fingerprint import STATE_FILE  # noqa: E402
PY = sys.executable
#: Git-ignored files a clone needs to build: the front-end assets `make setup` copies.
ASSETS = ("docs/vendor",)
#: Built-ins a user spec is copied from, cycled: small and large, sequential and graph.
USER_BASES = ("lenet5", "vgg11", "resnet18", "mobilenet-v2", "squeezenet1-1", "resnet50",
              "convnet39", "densenet121")


def env() -> dict:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    e.setdefault("SOURCE_DATE_EPOCH", "315532800")
    return e


def run(cmd: list[str], cwd: Path, **extra) -> tuple[float, float]:
    """Wall and child-CPU seconds of one command (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=dict(env(), **extra), capture_output=True,
                            text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def clone(into: Path) -> Path:
    project = into / "project"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(project)],
                   check=True)
    for rel in ASSETS:
        if (ROOT / rel).exists():
            shutil.copytree(ROOT / rel, project / rel)
    return project


def cold_site(project: Path) -> tuple[float, float]:
    for rel in (".cache", "build", "site"):
        shutil.rmtree(project / rel, ignore_errors=True)
    return run([PY, "-m", "generator", "site"], project)


#: Lines of a verbose cold build that mark the end of a phase: (regex, phase name).
MARKS = (
    (r"training job (\S+): ([\d.]+) s", "training job {0} done ({1} s in its worker)"),
    (r"figures: (\d+) drawn", "figure stage done ({0} figures drawn)"),
    (r"generated (\d+) files", "pages written ({0} files)"),
    (r"site built", "MkDocs done, site swapped in"),
)


def timeline(project: Path) -> None:
    """One more cold build, verbose, each log line timed as it arrives: when each phase
    ends, and the figures that took longest to draw (seconds in their worker)."""
    import re

    for rel in (".cache", "build", "site"):
        shutil.rmtree(project / rel, ignore_errors=True)
    t = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "generator", "-v", "site"], cwd=project, env=env(),
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    marks, drawn = [], []
    for line in proc.stderr:
        at = time.perf_counter() - t
        for pattern, label in MARKS:
            m = re.search(pattern, line)
            if m:
                marks.append((at, label.format(*m.groups())))
        m = re.search(r"figure (\S+): drawn in ([\d.]+) s", line)
        if m:
            drawn.append((float(m.group(2)), m.group(1)))
    if proc.wait():
        sys.exit(f"the verbose cold build failed in {project}")
    print(f"one cold build's timeline ({load()}): seconds since the start")
    for at, label in marks:
        print(f"  {at:6.1f}  {label}")
    drawn.sort(reverse=True)
    print(f"  figures: {sum(s for s, _ in drawn):.1f} s of drawing in all; the longest: "
          + ", ".join(f"{name} {s:.2f}" for s, name in drawn[:6]))


def bare(project: Path, scratch: Path) -> tuple[float, float]:
    shutil.rmtree(scratch, ignore_errors=True)
    return run([PY, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                str(scratch)], project, ATLAS_SKIP_GENERATE="1")


def warm_site(project: Path) -> tuple[float, float]:
    return run([PY, "-m", "generator", "site"], project)


def load() -> str:
    """The machine's load averages (1, 5, 15 min): a shared machine's timings need them."""
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f} ({min(values):.2f}–{max(values):.2f})"


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def add_user_specs(project: Path, count: int) -> None:
    folder = project / "docs" / "specs"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        base = USER_BASES[i % len(USER_BASES)]
        text = (project / "generator" / "specs" / f"{base}.yaml").read_text(encoding="utf-8")
        lines = [f"name: User network {i + 1:03d} (from {base})" if line.startswith("name:")
                 else line for line in text.splitlines()]
        (folder / f"user-{i + 1:03d}.yaml").write_text("\n".join(lines) + "\n",
                                                       encoding="utf-8")


def regenerate(project: Path) -> float:
    """Wall seconds of ``generator build`` run again with every figure cached: the
    recorded state is removed, so every producer runs (its share of any build)."""
    for state in (project / ".cache").rglob(STATE_FILE):
        state.unlink()
    return run([PY, "-m", "generator", "build"], project)[0]


def users(project: Path, scratch: Path, count: int) -> None:
    """Builds with a quarter, half and all of ``count`` user specs added to the warm
    project, then a cold build with all of them: what each costs and what dominates."""
    print(f"user specs ({load()}), wall seconds. first: `python -m generator build` right "
          "after adding them (draws their diagrams); again: every producer rerun with "
          "every figure cached (the generator's share of any build); per spec: its "
          "growth per spec since the row above (linear when the rows agree)")
    print("  specs   first   again  per spec  bare MkDocs  warm site  warm/bare  site MiB")
    before = None
    for n in sorted({max(1, count // 4), max(1, count // 2), count}):
        add_user_specs(project, n)
        first = run([PY, "-m", "generator", "build"], project)[0]
        again = regenerate(project)
        warm_site(project)  # the first site build: MkDocs on the new pages, then the swap
        warm = warm_site(project)[0]
        b = bare(project, scratch)[0]
        per = "" if before is None else f"{1000 * (again - before[1]) / (n - before[0]):.1f} ms"
        print(f"  {n:5d}  {first:6.2f}  {again:6.2f}  {per:>8}  {b:11.2f}  {warm:9.2f}  "
              f"{warm / b:9.2f}  {size_of(project / 'site') / 2**20:8.1f}")
        before = (n, again)
    cold = cold_site(project)
    print(f"  cold build with all {count} (empty cache): {cold[0]:.2f} s (cpu {cold[1]:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--users", type=int, default=200, help="user specs (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-build-") as tmp:
        tmp = Path(tmp)
        project = clone(tmp)
        scratch = tmp / "bare-site"
        before = load()
        rows = {"cold": [], "bare": [], "warm": [], "cold/bare": [], "warm/bare": []}
        cpu = {"cold": [], "bare": [], "warm": []}
        for _ in range(args.rounds):
            c = cold_site(project)
            b = bare(project, scratch)
            w = warm_site(project)
            for key, value in (("cold", c), ("bare", b), ("warm", w)):
                rows[key].append(value[0])
                cpu[key].append(value[1])
            rows["cold/bare"].append(c[0] / b[0])
            rows["warm/bare"].append(w[0] / b[0])
        pages = sum(1 for _ in (project / "site").rglob("index.html"))
        print(f"site: {pages} pages, {size_of(project / 'site') / 2**20:.1f} MiB; "
              f"{args.rounds} interleaved rounds, wall seconds median (min–max), "
              f"child CPU seconds median; {before} before, {load()} after")
        for key in ("cold", "bare", "warm"):
            print(f"  {key:<5} {summary(rows[key])} s   cpu {statistics.median(cpu[key]):6.2f} s")
        print(f"  cold / bare {summary(rows['cold/bare'])}x   (target <= 4)")
        # what the CPU allows on this machine's cores, whatever the order of the work
        cores = cpu_count()
        c, b = statistics.median(cpu["cold"]), statistics.median(rows["bare"])
        gen = c - statistics.median(cpu["bare"])
        print(f"  bounds from the cold build's CPU on {cores} cores: every core busy from start "
              f"to end {c / cores:.2f} s ({c / cores / b:.2f}x); the generator's "
              f"{gen:.1f} CPU s on every core, then MkDocs alone {gen / cores + b:.2f} s "
              f"({(gen / cores + b) / b:.2f}x)")
        print(f"  warm / bare {summary(rows['warm/bare'])}x   (target <= 1.1)")
        timeline(project)

        if args.users:
            users(project, scratch, args.users)
    return 0


if __name__ == "__main__":
    sys.exit(main())
