"""Time generator.nn's conv2d / conv_transpose2d against torch.nn.functional, layer by layer.

Run: ``python benchmarks/bench_conv.py [--threads N] [--quick]``.  Both
libraries run in this process with the same number of threads (NumPy's BLAS
through threadpoolctl, torch.set_num_threads); the default is 1 thread, the
setting the targets are stated for: on a shared 2-core machine, 2-thread
timings mostly measure the scheduler.  The layers are every distinct
convolution of VGG-16 and ResNet-50 (read from the built-in specs while
running them through generator.tables.forward), MobileNetV2's depthwise 3×3
shapes (stride 1 and 2, 7×7 to 112×112), a transposed convolution and
LeNet-5's first layer.  For each, the two
libraries take turns in short blocks (interleaved), and the table gives
the median time of each, the median ratio ours/torch over the blocks with its
min–max (by CPU time, which a busy shared machine disturbs far less, and by
wall clock), the algorithm conv2d chose, and the largest |difference|
relative to the largest output.  Targets (issue 20): each VGG-16 / ResNet-50 layer, the
transposed convolution and the 7×7 stem at most 1.5×, depthwise at most 2×.
This is a benchmark, not a test: nothing fails if it is slow.

Both libraries get memory of their own kind: torch's operands are copied
into tensors torch allocated (64-byte aligned), since a NumPy array's
buffer is only 16-byte aligned and oneDNN's depthwise kernel ran some
layers 10× slower on it. And by default (``--heap keep``) glibc is told
to keep freed memory in the process (``mallopt``) instead of returning it
to the system: otherwise whether a layer's fresh output array needs new
pages, each costing a page fault (about 2 µs on this virtual machine, a
quarter of a depthwise layer's time for torch's 1.8 MB outputs), depends
on what the process allocated before, and the same torch layer timed at
0.27 ms or 2.7 ms from one run to the next. ``--heap default`` measures
with glibc's own policy, page faults included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

import generator.nn as gnn  # noqa: E402
from generator.nn import conv as gconv  # noqa: E402
from generator.nn.shapes import conv2d_geometry  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

ROUNDS = 7  # blocks per library, alternating
PER_ROUND = 3  # timed calls per block


def interleaved(fns, rounds: int = ROUNDS, per_round: int = PER_ROUND, budget: float = 2.0):
    """Per-block median times (s) of each function, the functions taking turns.

    Each block starts with an untimed call (warm-up, and the other library's
    idle threads settle). Fewer calls per block for slow functions, so a
    layer costs about ``budget`` seconds. Every call is timed twice: wall
    clock, and the CPU time of this process (``time.process_time``), which on
    a busy shared machine leaves out the time other processes held the core
    (at one thread both libraries compute on the calling thread).

    Returns ``{"wall": [...], "cpu": [...]}``, each one list of block medians
    per function.
    """
    start = time.perf_counter()
    for fn in fns:
        fn()
    per_call = (time.perf_counter() - start) / len(fns)
    per_round = max(1, min(per_round, int(budget / max(per_call, 1e-9) / rounds / len(fns))))
    blocks = {"wall": [[] for _ in fns], "cpu": [[] for _ in fns]}
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            fn()
            wall, cpu = [], []
            for _ in range(per_round):
                w0, c0 = time.perf_counter(), time.process_time()
                fn()
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
            blocks["wall"][k].append(statistics.median(wall))
            blocks["cpu"][k].append(statistics.median(cpu))
    return blocks


def ratio_summary(ours_blocks, theirs_blocks):
    """(median ours ms, median torch ms, median ratio, min ratio, max ratio) over the blocks."""
    ratios = [a / b for a, b in zip(ours_blocks, theirs_blocks)]
    return (statistics.median(ours_blocks) * 1e3, statistics.median(theirs_blocks) * 1e3,
            statistics.median(ratios), min(ratios), max(ratios))


def summary_columns(blocks) -> str:
    """CPU ms of both, CPU ratio (min-max), wall ratio (min-max) of a two-function run."""
    ms, tms, r, lo, hi = ratio_summary(*blocks["cpu"])
    _, _, wr, wlo, whi = ratio_summary(*blocks["wall"])
    return (f"{ms:9.3f} {tms:9.3f} {r:5.2f} {f'({lo:.2f}-{hi:.2f})':>11} "
            f"{wr:5.2f} {f'({wlo:.2f}-{whi:.2f})':>11}")


SUMMARY_HEADER = (f"{'ours ms':>9} {'torch ms':>9} {'ratio':>5} {'(min-max)':>11} "
                  f"{'wall':>5} {'(min-max)':>11}")
SUMMARY_NOTE = ("times: CPU time of this process, median of the blocks; ratio = ours/torch "
                "per block, median (min-max), by CPU time, then by wall clock")


def keep_freed_memory() -> str:
    """Ask glibc to keep freed memory in the process (no trimming, no mmap for blocks
    up to 32 MB), so repeated allocations reuse pages instead of faulting in new ones;
    returns a description of what was set, or why nothing was."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return "heap: glibc's mallopt not found, the allocator's own policy"
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    ok = mallopt(m_mmap_threshold, 32 * 2**20) == 1 and mallopt(m_trim_threshold, 2**31 - 1) == 1
    return ("heap: glibc keeps freed memory (mallopt M_MMAP_THRESHOLD 32 MB, "
            "M_TRIM_THRESHOLD 2 GB), for both libraries" if ok else
            "heap: mallopt refused, the allocator's own policy")


def heap_argument(parser) -> None:
    parser.add_argument("--heap", choices=("keep", "default"), default="keep",
                        help="keep freed memory in the process (default) or use glibc's "
                             "policy, page faults on fresh arrays included")


def set_heap(choice: str) -> str:
    return keep_freed_memory() if choice == "keep" else "heap: glibc's default policy"


def torch_owned(a):
    """``a`` (a NumPy array) copied into a tensor torch allocated."""
    return torch.from_numpy(np.ascontiguousarray(a)).clone()


def set_threads(n: int):
    """Limit NumPy's BLAS and torch to ``n`` threads; returns the threadpoolctl limiter."""
    limiter = threadpool_limits(n)
    if torch is not None:
        torch.set_num_threads(n)
    return limiter


def describe(threads: int) -> str:
    blas = ", ".join(f"{i.get('internal_api')} {i.get('architecture', '?')}"
                     for i in threadpool_info() if i.get("user_api") == "blas")
    tv = f"; torch {torch.__version__}" if torch else ""
    return f"float32, batch 1, {threads} thread(s); NumPy {np.__version__} ({blas}){tv}"


def distinct_convs(spec_ids=("vgg16", "resnet50")):
    """Every distinct conv2d call of the networks' forward passes, in order of first use.

    Returns [(label, input shape, weight shape, stride, padding, groups)].
    """
    from generator.specs import load_builtin
    from generator.tables.forward import forward

    seen, layers = set(), []
    real = gnn.conv2d

    for spec_id in spec_ids:
        net = load_builtin(spec_id)

        def record(x, w, b=None, stride=1, padding=0, dilation=1, groups=1, _id=spec_id):
            key = (x.shape, w.shape, stride, padding, dilation, groups)
            if key not in seen:
                seen.add(key)
                c, h, wd = x.shape[1:]
                label = (f"{net.name} {w.shape[2]}x{w.shape[3]} {c}>{w.shape[0]} @{h}"
                         + (f" s{stride[0]}" if tuple(stride) != (1, 1) else ""))
                layers.append((label, x.shape, w.shape, stride, padding, groups))
            return real(x, w, b, stride, padding, dilation, groups)

        gnn.conv2d = record
        try:
            forward(net, np.zeros((1,) + tuple(net.input), np.float32))
        finally:
            gnn.conv2d = real
    return layers


EXTRA = [  # label, input shape, weight shape, stride, padding, groups
    ("LeNet-5 C1 5x5 1>6 @32", (1, 1, 32, 32), (6, 1, 5, 5), 1, 0, 1),
    ("depthwise 3x3 256 @28", (1, 256, 28, 28), (256, 1, 3, 3), 1, 1, 256),
    # MobileNetV2's depthwise layers: large maps, strided, and many channels on a small map
    ("depthwise 3x3 32 @112", (1, 32, 112, 112), (32, 1, 3, 3), 1, 1, 32),
    ("depthwise 3x3 96 @112 s2", (1, 96, 112, 112), (96, 1, 3, 3), 2, 1, 96),
    ("depthwise 3x3 144 @56", (1, 144, 56, 56), (144, 1, 3, 3), 1, 1, 144),
    ("depthwise 3x3 144 @56 s2", (1, 144, 56, 56), (144, 1, 3, 3), 2, 1, 144),
    ("depthwise 3x3 960 @7", (1, 960, 7, 7), (960, 1, 3, 3), 1, 1, 960),
]
TRANSPOSED = [("conv_transpose 4x4 64>32 @56 s2", (1, 64, 56, 56), (64, 32, 4, 4), 2, 1)]


def algorithm_of(x_shape, w_shape, stride, padding, groups) -> str:
    geo = conv2d_geometry(x_shape[2:], w_shape[2:], stride, padding, 1)
    return gconv.conv2d_algorithm(x_shape[1], w_shape, geo, groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="threads for both libraries")
    parser.add_argument("--only", default="", help="only the layers whose label contains this")
    heap_argument(parser)
    args = parser.parse_args()
    if torch is None:
        raise SystemExit("torch is not installed: nothing to compare with")
    heap = set_heap(args.heap)
    set_threads(args.threads)
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    print(describe(args.threads))
    print(heap)
    print(f"interleaved blocks: {ROUNDS} per library; {SUMMARY_NOTE}")
    header = f"{'layer':<34} {'algorithm':<9} {SUMMARY_HEADER} {'rel |diff|':>10}"
    print(header)
    print("-" * len(header))

    def row(label, algorithm, ours, theirs):
        out_ours, out_theirs = ours(), theirs().numpy()
        diff = float(np.max(np.abs(out_ours - out_theirs)) / max(1.0, np.max(np.abs(out_theirs))))
        print(f"{label:<34} {algorithm:<9} {summary_columns(interleaved([ours, theirs]))} "
              f"{diff:10.1e}", flush=True)

    for label, x_shape, w_shape, stride, padding, groups in distinct_convs() + EXTRA:
        if args.only not in label:
            continue
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = (rng.standard_normal(w_shape) / np.sqrt(np.prod(w_shape[1:]))).astype(np.float32)
        b = rng.standard_normal(w_shape[0], dtype=np.float32)
        tx, tw, tb = torch_owned(x), torch_owned(w), torch_owned(b)

        def ours():
            return gnn.conv2d(x, w, b, stride, padding, 1, groups)

        def theirs():
            with torch.no_grad():
                return F.conv2d(tx, tw, tb, stride, padding, 1, groups)

        row(label, algorithm_of(x_shape, w_shape, stride, padding, groups), ours, theirs)
    for label, x_shape, w_shape, stride, padding in TRANSPOSED:
        if args.only not in label:
            continue
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = (rng.standard_normal(w_shape) / np.sqrt(w_shape[0] * 4)).astype(np.float32)
        b = rng.standard_normal(w_shape[1], dtype=np.float32)
        tx, tw, tb = torch_owned(x), torch_owned(w), torch_owned(b)

        def ours():
            return gnn.conv_transpose2d(x, w, b, stride, padding)

        def theirs():
            with torch.no_grad():
                return F.conv_transpose2d(tx, tw, tb, stride, padding)

        row(label, gconv.conv_transpose2d_algorithm(x_shape[1], w_shape, (1, 1), 1), ours, theirs)


if __name__ == "__main__":
    main()
