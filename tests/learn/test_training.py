"""Training: the loss falls, the same inputs give the same weights bit for bit, and the
store's key follows every input, code included (the store itself: test_store.py)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from generator import learn, nn
from generator.learn import store
from generator.learn.config import LENET5
from generator.learn.loop import IMAGE_CHUNK, evaluate, train
from generator.learn.model import Model
from generator.specs import load_builtin
from tests.scratch import edit, scratch  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
SHORT = replace(LENET5, epochs=1, batch_size=25)


def _subset(n_train=200, n_test=100):
    d = learn.load_digits()
    return d.x_train[:n_train], d.y_train[:n_train], d.x_test[:n_test], d.y_test[:n_test]


def _digest(params: dict) -> str:
    h = hashlib.sha256()
    for k in sorted(params):
        h.update(k.encode())
        h.update(np.ascontiguousarray(params[k]).tobytes())
    return h.hexdigest()


def test_loss_decreases_on_a_small_subset():
    data = _subset()
    model = Model(load_builtin("lenet5"))
    params = model.init(0)
    before, _ = evaluate(model, params, data[0], data[1], "cross_entropy")
    result = train(model, params, replace(LENET5, epochs=3, batch_size=20), *data)
    losses = result.history.train_loss
    assert losses[0] < before and losses[1] < losses[0] and losses[2] < losses[1]
    assert result.history.train_accuracy[-1] > 0.8


def test_two_trainings_give_identical_weights():
    data = _subset(100, 20)
    model = Model(load_builtin("lenet5"))
    a = train(model, model.init(0), SHORT, *data)
    b = train(model, model.init(0), SHORT, *data)
    assert _digest(a.params) == _digest(b.params)
    assert a.history == b.history
    c = train(model, model.init(1), SHORT, *data)
    assert _digest(c.params) != _digest(a.params)


def test_skipping_unused_work_keeps_the_weights_bit_for_bit(monkeypatch):
    """No evaluation but the last test one, and no input gradient for the first layer: the
    same LeNet-5 weights as evaluating everything every epoch with every gradient."""
    data = _subset(300, 60)
    model = Model(load_builtin("lenet5"))
    config = replace(LENET5, epochs=2, batch_size=25)
    lean = train(model, model.init(0), replace(config, curves=()), *data)
    assert lean.history.train_loss == [] and len(lean.history.test_accuracy) == 1
    test_only = train(model, model.init(0), replace(config, curves=("test",)), *data)
    assert test_only.history.train_loss == [] and len(test_only.history.test_accuracy) == 2

    from generator.learn import layers

    calls = []

    def every_gradient(*args, need_input=True, **kwargs):
        calls.append(need_input)
        return nn.conv2d_backward(*args, **kwargs)  # need_input ignored: computed anyway

    ops = {name: getattr(nn, name) for name in nn.__all__}
    monkeypatch.setattr(layers, "nn", SimpleNamespace(**{**ops, "conv2d_backward": every_gradient}))
    full = train(model, model.init(0), config, *data)
    assert False in calls  # the first layer asked to skip its input gradient
    assert len(full.history.train_loss) == len(full.history.test_loss) == 2
    assert _digest(lean.params) == _digest(test_only.params) == _digest(full.params)
    assert full.history.test_accuracy[-1] == lean.history.test_accuracy[-1]
    assert full.history.test_accuracy == test_only.history.test_accuracy


def test_reusing_the_forward_columns_keeps_the_weights_bit_for_bit(monkeypatch):
    """The weight gradient from the forward pass's im2col matrix, not a second copy: the
    same LeNet-5 and autoencoder weights as copying it again."""
    from generator.learn import layers
    from generator.learn.trained import AUTOENCODER_SPEC
    from generator.specs import load_spec

    data = _subset(120, 30)
    images = (data[0], data[0], data[2], data[2])
    runs = [(Model(load_builtin("lenet5")), replace(SHORT, epochs=2), data),
            (Model(load_spec(AUTOENCODER_SPEC, "autoencoder")),
             replace(SHORT, epochs=2, loss="binary_cross_entropy"), images)]
    reused = [train(m, m.init(0), config, *d) for m, config, d in runs]
    given = []

    def copy_again(*args, columns=None, **kwargs):
        given.append(columns is not None)
        return nn.conv2d_backward(*args, **kwargs)

    ops = {name: getattr(nn, name) for name in nn.__all__}
    monkeypatch.setattr(layers, "nn", SimpleNamespace(**{**ops, "conv2d_backward": copy_again}))
    copied = [train(m, m.init(0), config, *d) for m, config, d in runs]
    assert True in given  # the convolutions gave theirs (a transposed one has none)
    for a, b in zip(reused, copied):
        assert _digest(a.params) == _digest(b.params)


def test_an_unknown_curve_is_refused():
    with pytest.raises(ValueError, match="curves: unknown sets \\['tests'\\]"):
        replace(LENET5, curves=("tests",))


CHILD = """
import hashlib, sys
from dataclasses import replace
import numpy as np
sys.path.insert(0, {root!r})
from generator import learn
from generator.learn.config import LENET5
from generator.learn.loop import train
from generator.learn.model import Model
from generator.specs import load_builtin
d = learn.load_digits()
m = Model(load_builtin("lenet5"))
r = train(m, m.init(0), replace(LENET5, epochs=1, batch_size=25),
          d.x_train[:100], d.y_train[:100], d.x_test[:20], d.y_test[:20])
h = hashlib.sha256()
for k in sorted(r.params):
    h.update(k.encode()); h.update(np.ascontiguousarray(r.params[k]).tobytes())
print(h.hexdigest())
"""


def test_weights_do_not_depend_on_the_blas_thread_count():
    data = _subset(100, 20)
    model = Model(load_builtin("lenet5"))
    here = _digest(train(model, model.init(0), SHORT, *data).params)
    for threads in ("1", "2"):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT))], env=env,
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here, f"{threads} BLAS threads"


def test_the_key_follows_every_input():
    net, data = load_builtin("lenet5"), learn.load_digits().fingerprint()
    base = store.key(net, LENET5, data)
    assert store.key(net, LENET5, data) == base
    assert store.key(net, replace(LENET5, epochs=13), data) != base
    assert store.key(net, LENET5, "another data set") != base
    assert store.key(learn.freeze(net, ["C1"]), LENET5, data) != base
    assert store.key(net, LENET5, data, digits=(0, 1)) != base


@pytest.mark.parametrize("module", [
    "nn/windows.py",  # im2col, imported by nn/conv.py
    "learn/optim.py",  # Adam, imported by the loop
    "specs/layers.py",  # the spec classes a Model is built from
    "tables/table.py",  # the shapes a Model's layers take
])
def test_the_key_follows_the_code_training_imports(scratch, module):
    net, data = load_builtin("lenet5"), "data"
    before = store.key(net, LENET5, data)
    edit(scratch / module)
    assert store.key(net, LENET5, data) != before


@pytest.mark.parametrize("module", ["figures/style.py", "pipeline.py", "render.py",
                                    "pages/calculator.py", "unused_by_training.py"])
def test_the_key_ignores_code_training_does_not_import(scratch, module):
    (scratch / "unused_by_training.py").write_text("VALUE = 1\n")
    net, data = load_builtin("lenet5"), "data"
    before = store.key(net, LENET5, data)
    edit(scratch / module)
    assert store.key(net, LENET5, data) == before


def test_the_key_follows_a_new_import(scratch):
    """A module that training starts to import joins the key, with what it imports."""
    net, data = load_builtin("lenet5"), "data"
    (scratch / "helper_module.py").write_text("VALUE = 1\n")
    before = store.key(net, LENET5, data)
    edit(scratch / "learn/losses.py", "\nfrom .. import helper_module  # noqa: F401\n")
    after = store.key(net, LENET5, data)
    assert after != before
    edit(scratch / "helper_module.py")
    assert store.key(net, LENET5, data) != after


def test_an_untrainable_layer_is_reported():
    from generator.errors import UserError

    with pytest.raises(UserError, match=r"resnet18.yaml: layer 2 'bn1' \(batchnorm\): a batchnorm layer cannot be trained here"):
        Model(load_builtin("resnet18"))


def test_running_the_fixed_layers_once_keeps_the_weights_bit_for_bit(monkeypatch):
    """The layers below the lowest that learns run once per image, not at every step: the
    same weights and history as running every layer on every batch, for a head over frozen
    layers; LeNet-5 and the autoencoder, which learn from their first layer, train as before."""
    from generator.learn import model as model_module
    from generator.learn.trained import AUTOENCODER_SPEC
    from generator.specs import load_spec

    data = _subset(130, 40)  # 130 % 25 = 5: a short last batch
    images = (data[0], data[0], data[2], data[2])
    config = replace(SHORT, epochs=2, curves=("train", "test"))
    lenet = load_builtin("lenet5")
    head = Model(learn.freeze(lenet, ["C1", "C3", "C5"]))
    assert head.fixed_layers() == head.names.index("F6") and Model(lenet).fixed_layers() == 0
    # a frozen linear layer runs at every step: its bits depend on the batch
    assert Model(learn.freeze(lenet, ["C1", "C3", "C5", "F6"])).fixed_layers() == head.names.index("F6")
    runs = [(head, config, data), (Model(lenet), config, data),
            (Model(load_spec(AUTOENCODER_SPEC, "autoencoder")),
             replace(config, loss="binary_cross_entropy"), images)]
    passes = []
    first = type(head.layers[0]).forward
    monkeypatch.setattr(type(head.layers[0]), "forward",
                        lambda self, x, params: passes.append((self.name, len(x))) or first(self, x, params))
    once = [train(m, m.init(0), c, *d) for m, c, d in runs]
    # the head's: every training and test image once, in chunks
    chunks = [len(range(i, min(i + IMAGE_CHUNK, n))) for n in (130, 40) for i in range(0, n, IMAGE_CHUNK)]
    assert [n for layer, n in passes if layer == "C1"][:len(chunks)] == chunks and sum(chunks) == 170

    monkeypatch.setattr(model_module.Model, "fixed_layers", lambda self: 0)
    every_time = [train(m, m.init(0), c, *d) for m, c, d in runs]
    for a, b in zip(once, every_time):
        assert _digest(a.params) == _digest(b.params)
        assert a.history == b.history and len(a.history.test_loss) == 2


def test_evaluation_reads_the_losses_value_only():
    from generator.learn.losses import LOSS_VALUES, LOSSES

    assert LOSS_VALUES.keys() == LOSSES.keys()
    rng = np.random.default_rng(0)
    scores, classes = rng.standard_normal((7, 10)).astype(np.float32), rng.integers(0, 10, 7)
    pixels, images = rng.standard_normal((3, 1, 4, 4)).astype(np.float32), rng.random((3, 1, 4, 4))
    for loss, z, t in (("cross_entropy", scores, classes), ("binary_cross_entropy", pixels, images)):
        assert LOSS_VALUES[loss](z, t) == LOSSES[loss](z, t)[0]


def test_a_per_image_layer_gives_the_same_bits_in_any_chunks():
    """What lets evaluation run the convolutions in small chunks and training run the fixed
    layers once: for every layer marked per_image in LeNet-5 and the autoencoder, an image's
    output does not depend on the images beside it."""
    from generator.learn.trained import AUTOENCODER_SPEC
    from generator.specs import load_spec

    x = _subset(n_train=45)[0]
    checked = set()
    for network in (load_builtin("lenet5"), load_spec(AUTOENCODER_SPEC, "autoencoder")):
        model = Model(network)
        params = model.init(0)
        inputs = [x, *model.forward(params, x, keep=True)]
        for i, layer in enumerate(model.layers):
            if layer.per_image:
                one = lambda images: model.forward(params, images, start=i, stop=i + 1)
                chunked = np.concatenate([one(inputs[i][j:j + 7]) for j in range(0, len(x), 7)])
                assert np.array_equal(chunked, inputs[i + 1]), layer.name
                checked.add(type(layer).__name__)
            else:
                assert type(layer).__name__ == "Linear"
    assert {"Conv", "ConvTranspose", "AvgPool", "Tanh", "ReLU", "Flatten"} <= checked
