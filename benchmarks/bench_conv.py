"""Time generator.nn.conv2d against torch.nn.functional.conv2d.

Run: ``python benchmarks/bench_conv.py [--threads N]``.  Both libraries run
in this process with the same number of threads: NumPy's BLAS thread count
(or N, set through OpenBLAS's API), and torch.set_num_threads to match.
On a shared, busy machine ``--threads 1`` gives steadier ratios.  Each timing is the median of several repeats after a warm-up.
Also prints the largest absolute difference between the two results.
This is a benchmark, not a test: nothing fails if it is slow.
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.nn import conv2d  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

# name, input shape (N, C, H, W), weight shape (F, C // groups, KH, KW), padding, groups
LAYERS = [
    ("LeNet C1", (1, 1, 32, 32), (6, 1, 5, 5), 0, 1),
    ("VGG-16 conv3_1", (1, 128, 56, 56), (256, 128, 3, 3), 1, 1),
    ("ResNet-50 3x3", (1, 256, 14, 14), (256, 256, 3, 3), 1, 1),
    ("depthwise 3x3", (1, 256, 28, 28), (256, 1, 3, 3), 1, 256),
]
ROUNDS = 5  # blocks per library, alternating
PER_ROUND = 6  # timed calls per block


def _openblas():
    """NumPy's bundled OpenBLAS library (ctypes), or None."""
    libdir = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in glob.glob(str(libdir / "libscipy_openblas*.so")):
        return ctypes.CDLL(path)
    return None


def _symbol(lib, *names):
    for name in names:
        if lib is not None and hasattr(lib, name):
            return getattr(lib, name)
    return None


def blas_threads() -> int:
    """Threads NumPy's OpenBLAS uses (asks the library; falls back to the environment)."""
    get = _symbol(_openblas(), "scipy_openblas_get_num_threads64_", "openblas_get_num_threads")
    if get is not None:
        return int(get())
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return len(os.sched_getaffinity(0))


def set_blas_threads(n: int) -> None:
    setter = _symbol(_openblas(), "scipy_openblas_set_num_threads64_", "openblas_set_num_threads")
    if setter is None:
        raise SystemExit("cannot set NumPy's BLAS threads here; use OPENBLAS_NUM_THREADS")
    setter(n)


def median_ms(fns, rounds: int = ROUNDS, per_round: int = PER_ROUND) -> list[float]:
    """Median wall time in ms of each function.

    The functions take turns in short blocks (``rounds`` blocks of
    ``per_round`` calls each), so a burst of load from other processes hits
    all of them alike; each block starts with an untimed call, so the idle
    worker threads one library leaves spinning do not slow the other's
    first timed call.
    """
    times = [[] for _ in fns]
    for _ in range(rounds):
        for fn, bucket in zip(fns, times):
            fn()  # untimed: warm-up / let the other library's threads go idle
            for _ in range(per_round):
                start = time.perf_counter()
                fn()
                bucket.append(time.perf_counter() - start)
    return [statistics.median(bucket) * 1e3 for bucket in times]


def openblas_core() -> str:
    """OpenBLAS's kernel family (e.g. 'Haswell' = AVX2 kernels), or '?'."""
    fn = _symbol(_openblas(), "scipy_openblas_get_corename64_", "openblas_get_corename")
    if fn is None:
        return "?"
    fn.restype = ctypes.c_char_p
    return fn().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, help="threads for both libraries")
    args = parser.parse_args()
    if args.threads:
        set_blas_threads(args.threads)
    threads = blas_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    print(f"float32; NumPy {np.__version__}, OpenBLAS core {openblas_core()}, {threads} BLAS thread(s)"
          + (f"; torch {torch.__version__}, {torch.get_num_threads()} thread(s)" if torch else ""))
    print(f"median of {ROUNDS} x {PER_ROUND} calls, in alternating blocks")
    if openblas_core() == "Haswell" and "avx512f" in Path("/proc/cpuinfo").read_text():
        print("note: OpenBLAS picked its AVX2 (Haswell) kernels on an AVX-512 CPU; "
              "OPENBLAS_CORETYPE=SkylakeX in the environment may speed up the dense layers")
    header = f"{'layer':<16} {'numpy ms':>9} {'torch ms':>9} {'ratio':>6} {'max |diff|':>11}"
    print(header)
    print("-" * len(header))
    for name, x_shape, w_shape, padding, groups in LAYERS:
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = rng.standard_normal(w_shape, dtype=np.float32)
        b = rng.standard_normal(w_shape[0], dtype=np.float32)

        def ours():
            return conv2d(x, w, b, padding=padding, groups=groups)

        if torch is None:
            (ms,) = median_ms([ours])
            print(f"{name:<16} {ms:9.3f} {'torch not installed':>28}")
            continue
        tx, tw, tb = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)

        def theirs():
            with torch.no_grad():
                return torch.nn.functional.conv2d(tx, tw, tb, padding=padding, groups=groups)

        ms, torch_ms = median_ms([ours, theirs])
        diff = float(np.max(np.abs(ours() - theirs().numpy())))
        print(f"{name:<16} {ms:9.3f} {torch_ms:9.3f} {ms / torch_ms:6.2f} {diff:11.2e}")


if __name__ == "__main__":
    main()
