"""Time whole-network forward passes: generator.tables.forward against the same network in torch.

Run: ``python benchmarks/bench_networks.py [--threads N] [--rounds R]``.
For each built-in spec (VGG-16, ResNet-50; any other id given with
``--nets``), the forward pass of :func:`generator.tables.forward.forward`
runs with fixed weights (the weights of its first pass, recorded and then
served again, so drawing 138 million random numbers is not timed), and the
equivalent torch computation is built from the same spec and the same weights
by :func:`torch_forward` below. Batch 1, float32, interleaved blocks at 1
thread (threadpoolctl for NumPy's BLAS, torch.set_num_threads); the ratio
ours/torch is given as the median over the blocks with its min–max (by CPU
time and by wall clock, see bench_conv.interleaved), and the
largest |difference| of the outputs relative to their largest magnitude.
MobileNetV2 (a graph spec) runs against the torchvision model its spec names,
with that model's own weights (times only).
Torch's weights and input are copied into memory torch allocated, and glibc
keeps freed memory unless ``--heap default`` (see bench_conv's docstring).
Target (issue 20): at most 1.0×. This is a benchmark, not a test.

Then, for the networks of ``--parts`` (default MobileNetV2, the one over the
target; each needs a torchvision counterpart), the time of both passes split
by part (1×1, depthwise and other convolutions, batchnorm, ReLU/ReLU6, ...),
each layer timed inside the pass: where the gap is, in milliseconds
(:func:`parts`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_conv import (SUMMARY_HEADER, SUMMARY_NOTE, describe, heap_argument,  # noqa: E402
                        interleaved, set_heap, set_threads, summary_columns, torch_owned)

from generator import specs as s  # noqa: E402
from generator.specs import load_builtin  # noqa: E402
from generator.tables import forward as fwd  # noqa: E402

try:
    import torch
except ImportError:
    torch = None


class FixedWeights:
    """Makes forward() draw its weights once, then serve the same arrays again."""

    def __init__(self):
        self.arrays: list[np.ndarray] = []
        self.recording = True

    def __enter__(self):
        real = fwd._Run.weights
        owner = self

        def weights(run, shape, fan_in):
            if owner.recording:
                owner.arrays.append(real(run, shape, fan_in))
                return owner.arrays[-1]
            i = getattr(run, "_served", 0)
            run._served = i + 1
            return owner.arrays[i]

        self._real = real
        fwd._Run.weights = weights
        return self

    def __exit__(self, *exc):
        fwd._Run.weights = self._real


def torch_forward(network: s.Network, weights: list[np.ndarray]):
    """A function x -> y computing ``network`` with torch, layer by layer as
    generator.tables.forward does (same weights, taken in the same order; zero
    biases; batchnorm in inference form with zero mean and unit variance;
    dropout the identity)."""
    F = torch.nn.functional
    pool = iter(torch_owned(w) for w in weights)  # in torch's own (aligned) memory
    activations = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}

    def seq(layers, channels):
        steps = []
        for layer in layers:
            step, channels = one(layer, channels)
            steps.append(step)

        def run(x):
            for step in steps:
                x = step(x)
            return x
        return run, channels

    def one(layer, c):
        if isinstance(layer, (s.Basic, s.Bottleneck)):
            layer = layer.expand(c)
        if isinstance(layer, s.Residual):
            main, out = seq(layer.main, c)
            short, _ = seq(layer.shortcut, c)
            act = activations.get(layer.activation, lambda y: y)
            return (lambda x: act(main(x) + short(x))), out
        if isinstance(layer, s.Concat):
            branches = [seq(b, c) for b in layer.branches]
            return (lambda x: torch.cat([f(x) for f, _ in branches], 1)), sum(o for _, o in branches)
        if isinstance(layer, s.Conv):
            w = next(pool)
            b = torch.zeros(layer.out) if layer.bias else None
            return (lambda x: F.conv2d(x, w, b, layer.stride, layer.padding, layer.dilation,
                                       layer.groups)), layer.out
        if isinstance(layer, s.ConvTranspose):
            w = next(pool)
            b = torch.zeros(layer.out) if layer.bias else None
            return (lambda x: F.conv_transpose2d(x, w, b, layer.stride, layer.padding,
                                                 layer.output_padding, layer.groups,
                                                 layer.dilation)), layer.out
        if isinstance(layer, s.Linear):
            w = next(pool)
            b = torch.zeros(layer.out) if layer.bias else None
            return (lambda x: F.linear(x, w, b)), layer.out
        if isinstance(layer, s.BatchNorm):
            zeros, ones = torch.zeros(c), torch.ones(c)
            wb = (ones, zeros) if layer.affine else (None, None)
            return (lambda x: F.batch_norm(x, zeros, ones, *wb, False, 0.0, layer.eps)), c
        if isinstance(layer, s.MaxPool):
            return (lambda x: F.max_pool2d(x, layer.kernel, layer.stride, layer.padding,
                                           layer.dilation, layer.ceil_mode)), c
        if isinstance(layer, s.AvgPool):
            return (lambda x: F.avg_pool2d(x, layer.kernel, layer.stride, layer.padding,
                                           layer.ceil_mode, layer.count_include_pad)), c
        if isinstance(layer, s.AdaptiveAvgPool):
            return (lambda x: F.adaptive_avg_pool2d(x, layer.output)), c
        if isinstance(layer, s.Flatten):
            return (lambda x: torch.flatten(x, 1)), c
        if isinstance(layer, s.Softmax):
            return (lambda x: torch.softmax(x, 1)), c
        if isinstance(layer, s.Dropout):
            return (lambda x: x), c
        for kind, fn in (("relu", torch.relu), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid)):
            if layer.KIND == kind:
                return fn, c
        raise SystemExit(f"bench_networks: no torch equivalent for layer kind {layer.KIND!r}")

    run, _ = seq(network.layers, network.input[0])
    return run


def _torchvision(spec_id):
    """The torchvision model the spec names (tests/torchvision_oracle.py, the only way
    the project imports torchvision), in eval mode with its own seeded weights."""
    from tests.torchvision_oracle import build

    return build(load_builtin(spec_id))


#: Graph specs (inputs, add) the builder above does not follow: the torchvision model
#: the tests check against the spec layer by layer.
MODULE_BUILDERS = {"mobilenet-v2": _torchvision}


def _part(kind: str, kernel=None, groups=1, in_channels=0):
    """The part of a network's time a layer counts towards (see :func:`parts`), or None."""
    if kind == "conv":
        if groups > 1 and groups == in_channels:
            return "depthwise conv"
        return "1x1 conv" if tuple(kernel) == (1, 1) and groups == 1 else "other conv"
    return {"batchnorm": "batchnorm", "relu": "ReLU/ReLU6", "relu6": "ReLU/ReLU6",
            "linear": "linear", "maxpool": "pooling", "avgpool": "pooling",
            "adaptive_avgpool": "pooling"}.get(kind)


PARTS = ("1x1 conv", "depthwise conv", "other conv", "batchnorm", "ReLU/ReLU6", "linear",
         "pooling")
#: torch.nn.functional's functions that torch's modules call -> (spec layer kind, a
#: function of the call's arguments giving (kernel, groups, in_channels)), for :func:`_part`
TORCH_FUNCTIONS = {
    "conv2d": ("conv", lambda x, w, b=None, stride=1, padding=0, dilation=1, groups=1:
               (tuple(w.shape[2:]), groups, x.shape[1])),
    "batch_norm": ("batchnorm", None), "relu": ("relu", None), "hardtanh": ("relu6", None),
    "linear": ("linear", None), "max_pool2d": ("maxpool", None),
    "avg_pool2d": ("avgpool", None), "adaptive_avg_pool2d": ("adaptive_avgpool", None),
}


def parts(spec_id: str, rounds: int) -> list[str]:
    """Where each library's time goes in one network's forward pass, part by part.

    Both run their real passes (ours: generator.tables.forward; torch: the torchvision
    model the spec names, with its own weights), every layer timed where it runs (CPU
    time, so the caches hold what the network left there, unlike a layer timed alone):
    ours by wrapping the forward pass's layer call, torch's by wrapping the
    torch.nn.functional functions its modules call (module hooks cost torch far more
    than the layers they would time). The passes alternate; each part is the median
    over the rounds. "rest" is the pass's time outside the timed layers (residual adds,
    flatten, Python between layers, the timing itself). Returns the table's lines.
    """
    import time

    net = load_builtin(spec_id)
    model = _torchvision(spec_id)
    x = np.random.default_rng(0).random((1,) + tuple(net.input), dtype=np.float32)
    tx = torch_owned(x)
    acc: dict[str, float] = {}
    real_layer = fwd._Run.layer

    def timed_layer(run, layer, arr, index):
        if layer.COMPOSITE:
            return real_layer(run, layer, arr, index)
        part = _part(layer.KIND, getattr(layer, "kernel", None), getattr(layer, "groups", 1),
                     arr.shape[1] if isinstance(arr, np.ndarray) and arr.ndim > 1 else 0)
        start = time.process_time()
        y = real_layer(run, layer, arr, index)
        if part is not None:
            acc[part] = acc.get(part, 0.0) + time.process_time() - start
        return y

    functional = torch.nn.functional
    real_functions = {name: getattr(functional, name) for name in TORCH_FUNCTIONS}

    def timed_function(name):
        kind, shape_of = TORCH_FUNCTIONS[name]
        real = real_functions[name]

        def run(*args, **kwargs):
            part = _part(kind, *shape_of(*args, **kwargs)) if shape_of else _part(kind)
            start = time.process_time()
            y = real(*args, **kwargs)
            acc[part] = acc.get(part, 0.0) + time.process_time() - start
            return y
        return run

    blocks = {name: ([], []) for name in PARTS + ("rest", "total")}
    try:
        with FixedWeights() as fixed:
            fwd.forward(net, x)
            fixed.recording = False
            fwd._Run.layer = timed_layer
            for name in TORCH_FUNCTIONS:
                setattr(functional, name, timed_function(name))
            for r in range(rounds + 1):  # the first round warms up, untimed
                for fn, k in ((lambda: fwd.forward(net, x), 0), (lambda: model(tx), 1)):
                    acc.clear()
                    start = time.process_time()
                    with torch.no_grad():
                        fn()
                    total = time.process_time() - start
                    if r:
                        for name in PARTS:
                            blocks[name][k].append(acc.get(name, 0.0))
                        blocks["rest"][k].append(total - sum(acc.values()))
                        blocks["total"][k].append(total)
    finally:
        fwd._Run.layer = real_layer
        for name, real in real_functions.items():
            setattr(functional, name, real)
    lines = [f"{net.name}: time by part, in the pass (CPU ms, median of {rounds} rounds; "
             "every layer timed, the totals with the timing)",
             f"{'part':<16} {'ours ms':>9} {'torch ms':>9} {'ours - torch':>12}"]
    for name, (ours, theirs) in blocks.items():
        if not any(ours) and not any(theirs):
            continue
        a, b = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
        lines.append(f"{name:<16} {a:9.3f} {b:9.3f} {a - b:+12.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="blocks per library")
    parser.add_argument("--nets", nargs="+", default=["vgg16", "resnet50", "mobilenet-v2"])
    parser.add_argument("--parts", nargs="*", default=["mobilenet-v2"], metavar="NET",
                        help="networks (with a torchvision counterpart) whose time is "
                             "then split by part, in the pass; none: skip")
    heap_argument(parser)
    args = parser.parse_args()
    if torch is None:
        raise SystemExit("torch is not installed: nothing to compare with")
    heap = set_heap(args.heap)
    set_threads(args.threads)
    print(describe(args.threads))
    print(heap)
    print(f"interleaved blocks: {args.rounds} per library; {SUMMARY_NOTE}; target <= 1.0")
    header = f"{'network':<12} {SUMMARY_HEADER} {'rel |diff|':>10}"
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    for spec_id in args.nets:
        net = load_builtin(spec_id)
        x = rng.random((1,) + tuple(net.input), dtype=np.float32)
        with FixedWeights() as fixed:
            y, _ = fwd.forward(net, x)
            fixed.recording = False
            tx = torch_owned(x)
            same_weights = spec_id not in MODULE_BUILDERS
            if same_weights:
                theirs_fn = torch_forward(net, fixed.arrays)
            else:
                theirs_fn = MODULE_BUILDERS[spec_id](spec_id)

            def ours():
                return fwd.forward(net, x)[0]

            def theirs():
                with torch.no_grad():
                    return theirs_fn(tx)

            ty = theirs().numpy()
            assert ty.shape == ours().shape, (spec_id, ty.shape)
            diff = float(np.max(np.abs(ours() - ty)) / max(1.0, float(np.max(np.abs(ty)))))
            columns = summary_columns(interleaved([ours, theirs], rounds=args.rounds, per_round=1,
                                                  budget=0))
        note = f"{diff:10.1e}" if same_weights else f"{'own weights':>10}"
        print(f"{net.name:<12} {columns} {note}", flush=True)
    if any(n in MODULE_BUILDERS for n in args.nets):
        print("own weights: a graph spec; torch runs the torchvision model the spec names "
              "(tests/torchvision_oracle.py; checked layer by layer against the spec in "
              "tests/tables) with its own random weights, in eval mode: times only")
    for spec_id in args.parts:
        print()
        if not load_builtin(spec_id).torchvision:
            print(f"{spec_id}: no torchvision counterpart, no time by part")
            continue
        print("\n".join(parts(spec_id, args.rounds)), flush=True)


if __name__ == "__main__":
    main()
