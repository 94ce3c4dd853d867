"""The weight store: an entry that cannot be read or does not match its digest is a miss
(the network is trained again and the entry replaced), never an error."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from generator import learn
from generator.learn import store, trained
from generator.learn.config import LENET5
from generator.learn.loop import History
from generator.specs import load_builtin

PARAMS = {"C1.weight": np.arange(6, dtype=np.float32).reshape(2, 3),
          "C1.bias": np.array([0.5, -1.0], dtype=np.float32)}
HISTORY = History([1.0, 0.5], [1.1, 0.6], [0.5, 0.9], [0.4, 0.8])


@pytest.fixture
def ws(tmp_path):
    ws = store.WeightStore(tmp_path / "w")
    ws.put("k", PARAMS, HISTORY, {"seconds": 1.5})
    return ws


def _arrays(ws) -> dict:
    with np.load(ws.path("k")) as f:
        return {k: f[k] for k in f.files}


def _savez(ws, arrays) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    ws.path("k").write_bytes(buffer.getvalue())


def test_round_trip(ws):
    params, history, meta = ws.get("k")
    assert params.keys() == PARAMS.keys()
    for k in PARAMS:
        assert params[k].dtype == np.float32 and np.array_equal(params[k], PARAMS[k])
    assert history == HISTORY and meta == {"seconds": 1.5}
    assert ws.get("another key") is None


def _empty(ws):
    ws.path("k").write_bytes(b"")


def _truncated(ws):
    data = ws.path("k").read_bytes()
    ws.path("k").write_bytes(data[: len(data) // 2])


def _cut_at_end(ws):  # the zip directory lost: BadZipFile
    ws.path("k").write_bytes(ws.path("k").read_bytes()[:-10])


def _random(ws):
    ws.path("k").write_bytes(np.random.default_rng(0).bytes(3000))


def _npy_not_npz(ws):
    np.save(ws.path("k").open("wb"), np.zeros(3))


def _empty_zip(ws):
    with zipfile.ZipFile(ws.path("k"), "w"):
        pass


def _weights_changed(ws):  # readable, but not what was stored: the digest says so
    arrays = _arrays(ws)
    arrays["param/C1.weight"] = arrays["param/C1.weight"] + 1
    _savez(ws, arrays)


def _history_changed(ws):
    arrays = _arrays(ws)
    arrays["history/test_loss"] = arrays["history/test_loss"][:1]
    _savez(ws, arrays)


def _no_digest(ws):  # an entry written before entries carried their digest
    arrays = _arrays(ws)
    del arrays[store.DIGEST]
    _savez(ws, arrays)


def _meta_a_list(ws):  # well formed and with a matching digest, but meaningless
    arrays = _arrays(ws)
    arrays["meta"] = np.array(json.dumps([]))
    del arrays[store.DIGEST]
    arrays[store.DIGEST] = np.array(store.content_digest(arrays))
    _savez(ws, arrays)


def _copied_from_another_key(ws):  # a whole, valid entry, but of another network
    ws.put("other", {"C1.weight": np.zeros((2, 3), np.float32)}, HISTORY, {"seconds": 9.0})
    ws.path("k").write_bytes(ws.path("other").read_bytes())


@pytest.mark.parametrize("damage", [
    _empty, _truncated, _cut_at_end, _random, _npy_not_npz, _empty_zip,
    _weights_changed, _history_changed, _no_digest, _meta_a_list, _copied_from_another_key,
])
def test_a_damaged_entry_is_a_miss_and_is_replaced(ws, damage):
    damage(ws)
    assert ws.get("k") is None
    ws.put("k", PARAMS, HISTORY, {"seconds": 2.0})
    assert ws.get("k")[2] == {"seconds": 2.0}


def test_no_flipped_byte_serves_other_weights(ws):
    """Flip one byte anywhere: the entry reads as exactly what was stored, or as a miss."""
    good = ws.path("k").read_bytes()
    misses = 0
    for i in range(0, len(good), 3):
        damaged = bytearray(good)
        damaged[i] ^= 0xFF
        ws.path("k").write_bytes(bytes(damaged))
        got = ws.get("k")
        if got is None:
            misses += 1
            continue
        params, history, meta = got
        assert history == HISTORY and meta == {"seconds": 1.5}, i
        assert params.keys() == PARAMS.keys(), i
        for k in PARAMS:
            assert params[k].dtype == PARAMS[k].dtype and np.array_equal(params[k], PARAMS[k]), i
    assert misses > len(good) // 6  # most bytes matter


def test_a_folder_in_the_way_is_a_miss(ws):
    ws.path("k").unlink()
    ws.path("k").mkdir()
    assert ws.get("k") is None


def test_a_damaged_entry_is_trained_again(tmp_path):
    """Through the trained-network loader: a truncated entry means training, not a crash."""
    net, d = load_builtin("lenet5"), learn.load_digits()
    config = replace(LENET5, epochs=1, batch_size=20)
    data = (d.x_train[:40], d.y_train[:40], d.x_test[:20], d.y_test[:20])
    first = trained._fit(net, config, data, tmp_path, "lenet5", "fp")
    path = store.WeightStore(tmp_path / "lenet5").path(first.key)
    path.write_bytes(path.read_bytes()[:100])
    again = trained._fit(net, config, data, tmp_path, "lenet5", "fp")
    assert again.key == first.key
    assert all(np.array_equal(again.params[k], first.params[k]) for k in first.params)
    stored, _, _ = store.WeightStore(tmp_path / "lenet5").get(first.key)  # stored again
    assert all(np.array_equal(stored[k], first.params[k]) for k in first.params)
