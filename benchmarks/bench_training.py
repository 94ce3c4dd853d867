"""Time the training of the site's networks, cold, and the Beyond pages' warm-build overhead.

Run: ``python benchmarks/bench_training.py [--repeats N]`` from the repository root.

1. LeNet-5 on the digits, trained N times from scratch (no cache): seconds
   and test accuracy of each run (the target: >= 97% in under 60 s on 2 cores).
2. Every network of the Beyond pages (LeNet-5, the transfer-learning runs,
   the autoencoder) into an empty cache folder: what a cold build trains.
3. The Beyond producer in a fresh process with everything cached (weights,
   figures): what a warm build spends on these pages, imports included.

The machine may be shared: run it more than once and read the spread.
This is a benchmark, not a test: nothing fails if it is slow.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import learn  # noqa: E402
from generator.learn import config  # noqa: E402
from generator.learn.loop import train  # noqa: E402
from generator.learn.model import Model  # noqa: E402
from generator.pages import beyond  # noqa: E402
from generator.pipeline import BuildContext, figure_stage  # noqa: E402
from generator.settings import load_settings  # noqa: E402
from generator.specs import load_builtin  # noqa: E402


def lenet5_cold(repeats: int) -> None:
    d = learn.load_digits()
    model = Model(load_builtin("lenet5"))
    times = []
    for i in range(repeats):
        result = train(model, model.init(config.LENET5.seed), config.LENET5,
                       d.x_train, d.y_train, d.x_test, d.y_test)
        times.append(result.seconds)
        print(f"  run {i + 1}: {result.seconds:6.1f} s, test accuracy "
              f"{100 * result.history.test_accuracy[-1]:.2f}%")
    print(f"  median {statistics.median(times):.1f} s over {repeats} runs "
          f"({config.LENET5.epochs} epochs, {len(d.train_index)} images, BLAS on one thread)")


def everything_cold() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        parts = {}
        t = time.perf_counter()
        learn.lenet5(Path(tmp))
        parts["LeNet-5"] = time.perf_counter() - t
        t = time.perf_counter()
        learn.transfer(Path(tmp))
        parts["transfer learning (base, 2 heads, 2 from scratch)"] = time.perf_counter() - t
        t = time.perf_counter()
        learn.autoencoder(Path(tmp))
        parts["autoencoder"] = time.perf_counter() - t
        total = time.perf_counter() - start
    for name, seconds in parts.items():
        print(f"  {name:<52} {seconds:6.1f} s")
    print(f"  {'all networks of a cold build':<52} {total:6.1f} s")


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


def warm_overhead(repeats: int) -> None:
    """The figure stage and the Beyond producer in a fresh process (imports, data, weights,
    figures, pages), all cached."""
    settings = load_settings(ROOT)
    ctx = BuildContext(settings)
    _, ctx.figures = figure_stage(settings)
    list(beyond.outputs(ctx))  # make sure everything is cached
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", WARM], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    print(f"  Beyond pages in a fresh process, everything cached: median "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
          f"over {repeats} runs")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=2, help="cold LeNet-5 trainings (default 2)")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"numpy {np.__version__}; data loaded in", end=" ")
    t = time.perf_counter()
    learn.load_digits()
    print(f"{time.perf_counter() - t:.1f} s")
    print("LeNet-5, trained from scratch:")
    lenet5_cold(args.repeats)
    print("every trained network, into an empty cache:")
    everything_cold()
    print("warm build:")
    warm_overhead(3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
