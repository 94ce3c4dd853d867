"""Memory figures (generator.tables.memory): exact values on networks small enough to
count by hand, the same networks in PyTorch (what autograd keeps, what the optimisers
keep, the allocations a forward pass makes), and torchinfo's sizes and autograd's saved
tensors for every built-in network that names its torchvision counterpart."""

from __future__ import annotations

import math
import sys

import pytest

from generator.specs import BUILTINS, load_builtin, parse_spec
from generator.tables import layer_table
from generator.tables import memory as M

#: conv 3×3 (2 -> 3 channels, 3×4×4 out), relu, 2×2 max pool (3×2×2), flatten, fc 12 -> 5.
SMALL = """
name: Small
input: [2, 4, 4]
layers:
  - conv: {name: conv, out: 3, kernel: 3, padding: 1}
  - relu
  - maxpool: {kernel: 2}
  - flatten
  - fc: {name: fc, out: 5}
"""

#: A graph: 1×1 convolutions, a residual add, a concatenation, global pooling.
GRAPH = """
name: Graph
input: [4, 8, 8]
layers:
  - conv: {name: a, out: 8, kernel: 1}
  - relu: {name: ra}
  - conv: {name: b, out: 8, kernel: 1}
  - add: {name: s, inputs: [ra, b]}
  - conv: {name: c, out: 4, kernel: 1}
  - concat: {name: cat, inputs: [s, c]}
  - relu: {name: rc}
  - global_pool
  - flatten
  - fc: {name: fc, out: 3}
"""


def table_of(text: str, input_shape=None):
    return layer_table(parse_spec(text, "test.yaml", "test"), input_shape)


# ------------------------------------------------------------------ by hand


def test_small_network_counted_by_hand():
    t = table_of(SMALL)
    m = M.memory(t, (1, 32))
    # parameters: conv 2·3·9 + 3 = 57, fc 12·5 + 5 = 65
    assert m.param_bytes == (57 + 65) * 4
    assert (m.buffer_bytes, m.batchnorm_layers) == (0, 0)
    assert m.input_bytes == 2 * 4 * 4 * 4
    # outputs: conv 48, relu 48, pool 12, flatten 12, fc 5
    assert m.activation_bytes == (48 + 48 + 12 + 12 + 5) * 4
    # the input (32 values) stays; at relu, conv (48) and relu (48) are both held
    assert m.peak.bytes == (32 + 48 + 48) * 4 and m.peak.row.type == "relu"
    # relu in place (in conv's memory): the most is at the pool, input + conv + pool
    assert m.peak_inplace.bytes == (32 + 48 + 12) * 4 and m.peak_inplace.row.type == "maxpool"
    # kept for backward: relu's output (also pool's input), pool's argmax (12 int64),
    # fc's input (the flattened pool output, a view)
    one = (48 + 12) * 4 + 12 * 8
    assert [tr.saved for tr in m.training] == [one, 32 * one]
    tr = m.training[1]
    assert (tr.input, tr.gradients, tr.sgd_momentum) == (32 * 32 * 4, 122 * 4, 122 * 4)
    assert tr.adam == 2 * 122 * 4 + 4 * 4  # exp_avg, exp_avg_sq; a step per tensor (4)
    assert tr.total_sgd == 32 * 32 * 4 + 32 * one + 3 * 122 * 4
    # torchinfo: outputs of the layers with parameters (conv 48, fc 5), twice
    assert [ti.forward_backward for ti in m.torchinfo] == [2 * 53 * 4, 2 * 32 * 53 * 4]
    assert m.torchinfo[0].params == 122 * 4 and m.torchinfo[0].total == 128 + 424 + 488


def test_graph_network_counted_by_hand():
    t = table_of(GRAPH)
    m = M.memory(t)
    # a 512, ra 512, b 512, s 512, c 256, cat 768, rc 768, pool 12, flatten 12, fc 3
    assert m.activation_bytes == (4 * 512 + 256 + 768 * 2 + 12 + 12 + 3) * 4
    # first reached at s: the input (256), ra (512), b (512) and s (512) are held; at
    # cat as much again: the input, s, c (256) and cat (768)
    assert (m.peak.bytes, m.peak.row.name) == ((256 + 3 * 512) * 4, "s")
    # in place, ra shares a's memory (a read by ra only); rc shares cat's: same peak
    assert m.peak_inplace.bytes == m.peak.bytes
    # kept: ra (by ra and by b), s (by c), rc (its output, pool's input... a mean: no),
    # fc's input (the pooled 12, flattened: a view)
    assert m.training[0].saved == (512 + 512 + 768 + 12) * 4


def test_batchnorm_buffers_and_saved_statistics():
    t = table_of("name: BN\ninput: [3, 4, 4]\nlayers:\n  - conv: {out: 6, kernel: 1}\n"
                 "  - batchnorm\n  - relu\n")
    m = M.memory(t, (2,))
    assert m.buffer_bytes == 2 * 6 * 4 + 8  # running mean and var; num_batches_tracked
    # conv keeps the input (not counted), batchnorm its input (96 values a sample) and
    # a mean and 1/std per channel (not per sample), relu its output
    assert m.training[0].saved == 2 * (96 + 96) * 4 + 2 * 6 * 4


def test_dataflow_covers_every_tensor_of_every_builtin():
    for name in BUILTINS:
        t = layer_table(load_builtin(name))
        nodes = M.dataflow(t)
        leaves = [r for r in t.walk() if not r.children]
        assert [n.row for n in nodes] == leaves, name
        assert sum(n.values for n in nodes) == t.totals.activations, name
        assert all(j < i for i, n in enumerate(nodes) for j in n.inputs), name


def test_unet_skip_connections_are_read_late():
    """down1's output is read by the crop near the end: it is live at the peak."""
    t = layer_table(load_builtin("unet"))
    nodes = M.dataflow(t)
    skip1 = next(i for i, n in enumerate(nodes) if n.row.name == "skip1")
    (down1_end, up1) = nodes[skip1].inputs
    assert nodes[down1_end].row.index == "1.1.4" and nodes[up1].row.name == "up1"
    peak = M.peak(t)
    assert peak.bytes >= (math.prod(nodes[down1_end].row.output_shape)
                          + math.prod(nodes[up1].row.output_shape)) * 4


# ------------------------------------------------------------------ against PyTorch


def torch_small(torch):
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(12, 5))


def saved_by_autograd(torch, model, x) -> int:
    """Bytes of the distinct tensors autograd keeps, parameters, buffers and x left out."""
    skip = {t.untyped_storage().data_ptr() for t in (*model.parameters(), *model.buffers(), x)}
    kept = {}

    def pack(t):
        storage = t.untyped_storage()
        if storage.data_ptr() not in skip:
            kept[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return sum(kept.values())


def test_small_network_in_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    torch.manual_seed(0)
    model = torch_small(torch).train()
    t = table_of(SMALL)
    for batch in (1, 3):
        x = torch.randn(batch, 2, 4, 4)
        assert saved_by_autograd(torch, model, x) == M.saved_bytes(t, batch)
    tr = M.training(t, 3)
    for opt, expected in ((torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                           tr.sgd_momentum),
                          (torch.optim.Adam(model.parameters()), tr.adam)):
        model.zero_grad()
        model(torch.randn(3, 2, 4, 4)).sum().backward()
        opt.step()
        grads = sum(p.grad.nbytes for p in model.parameters())
        state = sum(v.nbytes for s in opt.state.values() for v in s.values()
                    if torch.is_tensor(v))
        assert (grads, state) == (tr.gradients, expected)


def forward_peak(torch, forward, x) -> int:
    """The most bytes a forward pass holds at once besides its input, from the CPU
    allocations and frees ``torch.profiler`` records."""
    from torch.profiler import ProfilerActivity, profile

    with torch.no_grad():
        forward(x)  # warm up
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            y = forward(x)
    del y
    events = sorted((e.time_range.start, e.self_cpu_memory_usage) for e in prof.events()
                    if e.self_cpu_memory_usage)
    held = best = 0
    for _, change in events:
        held += change
        best = max(best, held)
    return best


@pytest.mark.parametrize("inplace", [False, True])
def test_graph_peak_measured(inplace):
    """The graph network written in torch, each tensor dropped after its last reader
    (as the peak model assumes): the profiler's peak is the model's, less the input."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(0)
    a, b, c = nn.Conv2d(4, 8, 1), nn.Conv2d(8, 8, 1), nn.Conv2d(8, 4, 1)
    fc = nn.Linear(12, 3)

    def forward(x):
        h = a(x)
        ra = F.relu(h, inplace=inplace)
        del h
        s = ra + b(ra)
        del ra
        cat = torch.cat([s, c(s)], 1)
        del s
        rc = F.relu(cat, inplace=inplace)
        del cat
        p = F.adaptive_avg_pool2d(rc, 1)
        del rc
        return fc(torch.flatten(p, 1))

    t = table_of(GRAPH)
    x = torch.randn(1, 4, 8, 8)
    peak = M.peak(t, inplace=inplace)
    assert forward_peak(torch, forward, x) == peak.bytes - M.memory(t).input_bytes


# ------------------------------------------------------------------ torchvision


#: Built-ins with a torchvision counterpart; each is checked on a third of its input's
#: height and width (74×74 for 224×224: every network still fits) so the check stays fast.
TORCHVISION = [n for n in BUILTINS if load_builtin(n).torchvision]
BATCH = 2


def small_input(net) -> tuple[int, int, int]:
    c, h, w = net.input
    return c, h // 3, w // 3


@pytest.fixture
def one_thread():
    """One intra-op thread: on a busy 2-core machine, idle threads spinning for work
    cost four times the CPU time of the check itself."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("name", TORCHVISION)
def test_torchinfo_sizes(name, one_thread):
    """What torchinfo really reports equals the prediction from the spec."""
    from tests import torchvision_oracle

    net = load_builtin(name)
    model = torchvision_oracle.build(net)
    torchinfo = pytest.importorskip("torchinfo", reason="torchinfo is not installed")
    size = small_input(net)
    import torch

    s = torchinfo.summary(model, input_size=(BATCH, *size), verbose=0)
    p = M.torchinfo(layer_table(net, size), BATCH)
    header = sys.getsizeof(torch.empty(0).untyped_storage())  # the Python object's own
    assert (s.total_output_bytes, s.total_param_bytes, s.total_input) == (
        p.forward_backward, p.params, p.input + header)

    model.train()
    # torchvision's stochastic depth (EfficientNet, ConvNeXt), which specs leave out (the
    # identity when the network is used), keeps one float32 per sample each time it runs
    # with p > 0 while training
    drops = []
    for mod in model.modules():
        if type(mod).__name__ == "StochasticDepth" and mod.p > 0:
            mod.register_forward_hook(lambda *_: drops.append(1))
    saved = saved_by_autograd(torch, model, torch.randn(BATCH, *size))
    predicted = M.saved_bytes(layer_table(net, size), BATCH)
    assert saved == predicted + len(drops) * BATCH * 4


# ------------------------------------------------------------------ the page


def test_every_layer_kind_says_what_it_keeps():
    """A new layer kind must say what autograd keeps of it (memory.SAVED), or that it
    keeps nothing (memory.KEEP_NOTHING), or the training figures would skip it."""
    from generator.specs.kinds import KINDS

    leaves = {k.name for k in KINDS if not k.composite} | {"concat"}
    assert leaves <= set(M.SAVED) | set(M.KEEP_NOTHING)
    assert not set(M.SAVED) & set(M.KEEP_NOTHING)


def test_memory_section_of_resnet50():
    from generator.figures.library import page_context
    from generator.pages import memory as page
    from generator.render import render

    table = layer_table(load_builtin("resnet50"))
    figures = page_context("architectures/resnet50.md")
    md = render("pages/architectures/memory.md.j2",
                memory=page.context(table), **figures)
    m = M.memory(table, page.BATCHES)
    assert f"| parameters (weights and biases) | 97.5 MiB ({m.param_bytes:,} B) |" in md
    assert m.param_bytes == 25_557_032 * 4
    # 53 batchnorm layers: 2 × 26,560 running values and 53 step counters
    assert f"({m.buffer_bytes:,} B)" in md and m.buffer_bytes == 2 * 26_560 * 4 + 53 * 8
    ti = m.torchinfo[-1]
    assert f"| Forward/backward pass size (MB) | {m.torchinfo[0].forward_backward / 1e6:0.2f} " \
           f"| {ti.forward_backward / 1e6:0.2f} |" in md
    assert "| `add`, `flatten` | nothing |" in md
    user = table_of(SMALL)  # not in the figure catalog: no chart
    assert page.context(user)["chart"] is None
    assert "figures/compute-resnet50.svg" in md
    assert "\n## " not in md.split("## Memory")[1].replace("\n### ", "")  # one section
