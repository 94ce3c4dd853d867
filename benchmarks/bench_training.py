"""CPU seconds of every training run of a cold build, before and after, and the warm overhead.

Run: ``python benchmarks/bench_training.py [--repeats N] [--against REV]`` from the
repository root.

1. Each run the site trains (LeNet-5, the transfer-learning base, heads and runs
   from scratch, the autoencoder), from an empty cache, by today's code and by
   the code of ``REV`` (default: the commit the golden digests of
   tests/learn/test_golden.py were recorded on, i.e. before training learned to
   skip work nobody reads), interleaved, N times each, in fresh processes with
   one BLAS thread as the build trains. CPU seconds of each run's ``train()``
   call (process time: what a shared machine's other load disturbs least):
   median and min-max, and the ratio of the medians.
2. The jobs of ``generator.learn.jobs.JOBS`` as the build's process pool runs
   them: CPU seconds of each, in their order (longest first).
3. One evaluation of the training set (LeNet-5, the autoencoder) for several
   sizes of ``loop.IMAGE_CHUNK``: what its value rests on.
4. The Beyond producer in a fresh process with everything cached (weights,
   figures): what a warm build spends on these pages, imports included.

``--profile`` prints only where the CPU time of each run goes (each layer's
forward and backward pass, the loss, Adam, the evaluations), before and after.

The machine may be shared: the load average (``uptime``) is printed beside the
numbers. This is a benchmark, not a test: nothing fails if it is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_TEST = "tests/learn/test_golden.py"

#: Trains one group of runs into an empty cache with the code under ``root``; prints
#: {run: CPU seconds of its train() call} in the order trained.
RUNS = """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator import learn
from generator.learn import trained
names = {names!r}
seconds, plain = [], trained.train
def timed(*args):
    t = time.process_time()
    result = plain(*args)
    seconds.append(time.process_time() - t)
    return result
trained.train = timed
learn.load_digits()
with tempfile.TemporaryDirectory() as tmp:
    getattr(learn, {group!r})(Path(tmp))
print(json.dumps(dict(zip(names, seconds, strict=True))))
"""
#: group (a function of generator.learn) -> the runs it trains, in order
GROUPS = {"lenet5": ["LeNet-5"],
          "transfer": ["transfer base (0-4)", "head, all labels", "scratch, all labels",
                       "head, few labels", "scratch, few labels"],
          "autoencoder": ["autoencoder"]}

#: Runs every job of JOBS into one empty cache, in order; prints {job: CPU seconds}.
JOBS = """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator import learn
from generator.learn.jobs import JOBS
learn.load_digits()
out = {{}}
with tempfile.TemporaryDirectory() as tmp:
    for job in JOBS:
        t = time.process_time()
        job(Path(tmp))
        out[job.__name__] = time.process_time() - t
print(json.dumps(out))
"""

#: Trains every run into an empty cache with each layer's forward and backward pass, the loss,
#: Adam and the evaluations timed (CPU seconds); prints {run: {part: seconds}}.
PROFILE = """
import collections, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator import learn
from generator.learn import layers, loop, losses, optim, trained
clock, parts, phase = time.process_time, collections.defaultdict(float), ["train step"]
def timing(plain, label):
    def run(*args, **kwargs):
        t = clock()
        try:
            return plain(*args, **kwargs)
        finally:
            parts[(phase[0], label(args, kwargs))] += clock() - t
    return run
def timed(owner, attr, label):
    setattr(owner, attr, timing(getattr(owner, attr), label))
for kind in list(vars(layers).values()):
    if isinstance(kind, type) and issubclass(kind, layers.Layer) and kind is not layers.Layer:
        timed(kind, "forward", lambda a, k: f"forward {{a[0].name}} ({{type(a[0]).__name__}})")
        timed(kind, "backward", lambda a, k: f"backward {{a[0].name}} ({{type(a[0]).__name__}})"
              + ("" if k.get("need_input", True) else ", no input gradient"))
for name in list(losses.LOSSES):
    losses.LOSSES[name] = timing(losses.LOSSES[name], lambda a, k, name=name: f"loss {{name}}")
timed(optim.Adam, "step", lambda a, k: "Adam step")
plain_evaluate = loop.evaluate
def evaluate(*args, **kwargs):
    phase[0] = "evaluation"
    t = clock()
    try:
        return plain_evaluate(*args, **kwargs)
    finally:
        phase[0] = "train step"
        parts[("evaluation", "all")] += clock() - t
loop.evaluate = evaluate
runs, plain_train = [], trained.train
def train(*args):
    before, t = dict(parts), clock()
    result = plain_train(*args)
    runs.append((clock() - t, {{" / ".join(k): v - before.get(k, 0.0) for k, v in parts.items()}}))
    return result
trained.train = train
learn.load_digits()
with tempfile.TemporaryDirectory() as tmp:
    learn.lenet5(Path(tmp)); learn.transfer(Path(tmp)); learn.autoencoder(Path(tmp))
names = {names!r}
print(json.dumps({{n: {{"total": total, **p}} for n, (total, p) in zip(names, runs, strict=True)}}))
"""

#: CPU seconds of one evaluation of the training set by LeNet-5 and the autoencoder for each
#: size of loop.IMAGE_CHUNK (freshly initialised weights: the time does not depend on them).
CHUNKS = """
import json, sys, time
sys.path.insert(0, {root!r})
from generator import learn
from generator.learn import loop, trained
from generator.learn.model import Model
from generator.specs import load_builtin, load_spec
d = learn.load_digits()
nets = {{"LeNet-5": (load_builtin("lenet5"), d.x_train),
         "autoencoder": (load_spec(trained.AUTOENCODER_SPEC, "autoencoder"), d.images[d.train_index])}}
out = {{}}
for name, (network, x) in nets.items():
    model = Model(network)
    params = model.init(0)
    for chunk in {sizes!r}:
        loop.IMAGE_CHUNK = chunk
        best = []
        for _ in range(3):
            t = time.process_time()
            loop.predict_scores(model, params, x)
            best.append(time.process_time() - t)
        out[f"{{name}} {{chunk}}"] = min(best)
print(json.dumps(out))
"""
CHUNK_SIZES = (32, 64, 128, 256, 512)

WARM = """
import time
t = time.perf_counter()
from generator.pages import beyond
from generator.pipeline import BuildContext, figure_stage
from generator.settings import load_settings
settings = load_settings(".")
ctx = BuildContext(settings)
_, ctx.figures = figure_stage(settings)  # the pages embed figures the stage has drawn
list(beyond.outputs(ctx))
print(time.perf_counter() - t)
"""

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def uptime() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def child(script: str, cwd: Path = ROOT) -> dict:
    out = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True,
                         env=dict(os.environ, **ONE_THREAD))
    if out.returncode:
        sys.exit(f"a benchmark process failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def golden_base() -> str | None:
    """The parent of the commit that added the golden digests (the code they come from), or
    None without that history (a shallow clone)."""
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", GOLDEN_TEST],
                           cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not added:
        return None
    parent = f"{added[-1]}^"
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", parent], cwd=ROOT,
                           capture_output=True)
    return parent if found.returncode == 0 else None


def checkout(rev: str, into: Path) -> str:
    """The generator package of ``rev`` (and its settings) unpacked into ``into``."""
    archive = into / "code.tar"
    subprocess.run(["git", "archive", "-o", str(archive), rev, "generator", "pyproject.toml"],
                   cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def spread(xs: list[float], digits: int = 2) -> str:
    return f"{statistics.median(xs):.{digits}f} ({min(xs):.{digits}f}-{max(xs):.{digits}f})"


def before_after(repeats: int, rev: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        short = checkout(rev, Path(tmp))
        roots = {"before": tmp, "after": str(ROOT)}
        print(f"  before: {rev} = {short}; after: this working tree; {uptime()}")
        seconds: dict[tuple[str, str], list[float]] = {}
        for _ in range(repeats):
            for group, names in GROUPS.items():
                for which, root in roots.items():  # interleaved
                    got = child(RUNS.format(root=root, names=names, group=group))
                    for name, s in got.items():
                        seconds.setdefault((which, name), []).append(s)
    print(f"  {'CPU seconds of train(), 1 thread':<34} {'before':>20} {'after':>20}  ratio")
    totals = {"before": [0.0] * repeats, "after": [0.0] * repeats}
    for names in GROUPS.values():
        for name in names:
            b, a = seconds[("before", name)], seconds[("after", name)]
            for which, xs in (("before", b), ("after", a)):
                totals[which] = [t + x for t, x in zip(totals[which], xs)]
            print(f"  {name:<34} {spread(b):>20} {spread(a):>20}  "
                  f"{statistics.median(a) / statistics.median(b):.2f}")
    b, a = totals["before"], totals["after"]
    print(f"  {'all runs':<34} {spread(b):>20} {spread(a):>20}  "
          f"{statistics.median(a) / statistics.median(b):.2f}")
    print(f"  medians (min-max) of {repeats} interleaved runs; {uptime()}")


def jobs(repeats: int) -> None:
    runs = [child(JOBS.format(root=str(ROOT))) for _ in range(repeats)]
    for name in runs[0]:
        print(f"  {name:<34} {spread([r[name] for r in runs]):>20}")
    print(f"  medians (min-max) of {repeats} runs, in JOBS order; {uptime()}")


def chunk_sizes(repeats: int) -> None:
    runs = [child(CHUNKS.format(root=str(ROOT), sizes=CHUNK_SIZES)) for _ in range(repeats)]
    print(f"  {'images per chunk':<20}" + "".join(f"{c:>22}" for c in CHUNK_SIZES))
    for name in ("LeNet-5", "autoencoder"):
        print(f"  {name:<20}" + "".join(
            f"{spread([r[f'{name} {c}'] for r in runs], 3):>22}" for c in CHUNK_SIZES))
    print(f"  CPU seconds, best of 3 in each of {repeats} processes: median (min-max); {uptime()}")


def profile(root: str, label: str) -> None:
    names = [name for group in GROUPS.values() for name in group]
    for name, parts in child(PROFILE.format(root=root, names=names)).items():
        total = parts.pop("total")
        print(f"  {label}: {name}: {total:.2f} s in train()")
        for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
            if seconds >= 0.02:
                print(f"    {part:<58} {seconds:6.2f}")
    print(f"  CPU seconds, 1 thread; the parts of a train step add up to less than the "
          f"total (the loop itself); {uptime()}")


def warm_overhead(repeats: int) -> None:
    """The figure stage and the Beyond producer in a fresh process (imports, data, weights,
    figures, pages), all cached."""
    subprocess.run([sys.executable, "-c", WARM], cwd=ROOT, capture_output=True, check=True)
    times = [float(subprocess.run([sys.executable, "-c", WARM], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout.strip().splitlines()[-1])
             for _ in range(repeats)]
    print(f"  Beyond pages in a fresh process, everything cached: {spread(times)} s "
          f"over {repeats} runs; {uptime()}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    p.add_argument("--against", default=None,
                   help=f"the code before (a git revision; default: the parent of the commit "
                        f"that added {GOLDEN_TEST})")
    p.add_argument("--no-warm", action="store_true",
                   help="skip part 4 (it runs the figure stage on the project's cache)")
    p.add_argument("--profile", action="store_true",
                   help="only where each run's CPU time goes (each layer's passes, the loss, "
                        "Adam, the evaluations), before and after")
    args = p.parse_args()
    if args.profile:
        rev = args.against or golden_base()
        if rev is not None:
            with tempfile.TemporaryDirectory() as tmp:
                profile(tmp, f"before ({checkout(rev, Path(tmp))})")
        profile(str(ROOT), "after")
        return 0
    print("every training run of a cold build, before and after:")
    rev = args.against or golden_base()
    if rev is None:
        print(f"  skipped: no commit adding {GOLDEN_TEST} in this clone's history (give --against)")
    else:
        before_after(args.repeats, rev)
    print("the build's training jobs (generator.learn.jobs.JOBS), CPU seconds, 1 thread:")
    jobs(args.repeats)
    print("one evaluation of the training set by the layers that compute each image on its "
          "own, by loop.IMAGE_CHUNK:")
    chunk_sizes(args.repeats)
    if not args.no_warm:
        print("warm build:")
        warm_overhead(3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
