"""The shape calculator: its JavaScript against the Python, and its page driven by keyboard.

One formula, two languages: the page's ``AtlasCalc.compute`` (a plain sequence of
layers, every row reported) must give the shapes, counts, receptive fields and error
messages of ``generator.specs``, ``generator.nn.shapes`` and ``generator.tables`` on a
few hundred seeded random networks, and its YAML export must be a spec that
``python -m generator table`` reads back to the same numbers. ``AtlasCalc.table``
(any spec, pasted as YAML: blocks, graphs, repeats) must give ``table_dict``'s rows
and totals, or Python's one-line error, on a few hundred random graph specs and on
every built-in network.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest
import yaml

from generator.errors import UserError
from generator.nn import shapes
from generator.pages import calculator as calculator_page
from generator.specs import BUILTINS, SPEC_DIR, load_builtin, parse_spec
from generator.specs.limits import MAX_TEXT_CHARS
from generator.tables import layer_table
from generator.tables.formats import table_dict
from tests.browser.conftest import console_errors, serve
from tests.browser.oracle import ROW_KEYS, SOURCE, TF_KEYS, expected
from tests.browser.random_specs import graph_specs, sequential_specs
from tests.conftest import ROOT

pytestmark = pytest.mark.site

SEED = 20251121
CASES = 300


@pytest.fixture(scope="module")
def calc(browser, base_url):
    """The calculator page, freshly loaded with its default network."""
    browser.get(base_url + "calculator/")
    _wait(browser, "return !!(window.AtlasCalc && AtlasCalc.page)")
    console_errors(browser)
    return browser


@pytest.fixture(scope="module")
def engine(browser, tmp_path_factory):
    """The calculator's scripts on a bare page (no site build): formulas.js, js-yaml, the
    generated data and calculator.js, as page-assets.js loads them."""
    folder = tmp_path_factory.mktemp("calculator")
    for name in ("javascripts/formulas.js", "vendor/js-yaml/js-yaml.min.js",
                 "javascripts/calculator.js"):
        if not (ROOT / "docs" / name).is_file():
            pytest.fail(f"docs/{name} is missing: run the tests through 'make test' "
                        "(it runs 'make assets')")
        shutil.copy(ROOT / "docs" / name, folder / name.rpartition("/")[2])
    data = next(o for o in calculator_page.outputs(None) if o.path == calculator_page.DATA_JS)
    (folder / "data.js").write_bytes(data.data)
    scripts = "".join(f'<script src="{n}"></script>' for n in
                      ("formulas.js", "js-yaml.min.js", "data.js", "calculator.js"))
    (folder / "index.html").write_text('<!doctype html><meta charset="utf-8"><title>engine</title>'
                                       '<div id="atlas-calc"></div>' + scripts + "\n", encoding="utf-8")
    with serve(folder) as (url, _):
        browser.get(url)
        _wait(browser, "return !!(window.AtlasCalc && AtlasCalc.page)")
        console_errors(browser)
        yield browser


def _wait(driver, script: str, timeout: float = 10, *args):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script, *args)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


def _compute_all(driver, specs: list[dict]) -> list[dict]:
    return driver.execute_script(
        "return arguments[0].map(function (s) { return {"
        "  torch: AtlasCalc.compute(s), tf: AtlasCalc.compute(s, {convention: 'tf'}),"
        "  yaml: AtlasCalc.toYAML(s)}; });", specs)


def _differences(spec: dict, got: dict, convention: str) -> list:
    """What the page says about ``spec`` that Python does not (empty when they agree)."""
    want = expected(spec, convention)
    problems = []
    first = got["errors"][0] if got["errors"] else None
    if first != want["error"]:
        problems.append(("spec error", first, want["error"]))
    if len(got["layers"]) != len(want["layers"]):
        return problems + [("rows", len(got["layers"]), len(want["layers"]))]
    for row, want_row in zip(got["layers"], want["layers"]):
        where = f"{convention} row {row['index']}"
        if row["status"] != want_row["status"]:
            problems.append((where, row["status"], row.get("error"), want_row))
            continue
        if row["status"] == "error":
            if "message" in want_row:  # TensorFlow oracle: the message without the place
                if row["error"] != want_row["message"]:
                    problems.append((where, row["error"], want_row["message"]))
            elif f"{row['where']}: {row['error']}" != want_row["error"]:
                problems.append((where, f"{row['where']}: {row['error']}", want_row["error"]))
        elif row["status"] == "ok":
            keys = ROW_KEYS if convention == "torch" else TF_KEYS
            diff = {k: (row.get(k), want_row[k]) for k in keys if row.get(k) != want_row[k]}
            if diff:
                problems.append((where, diff))
    return problems


def test_random_networks_match_python(calc):
    specs = sequential_specs(CASES, SEED)
    results = _compute_all(calc, specs)
    failures = []
    statuses = {"ok": 0, "error": 0, "skipped": 0}
    for i, (spec, got) in enumerate(zip(specs, results)):
        for convention in ("torch", "tf"):
            problems = _differences(spec, got[convention], convention)
            if problems:
                failures.append((i, json.dumps(spec), problems))
        for row in got["torch"]["layers"]:
            statuses[row["status"]] += 1
        if yaml.safe_load(got["yaml"]) != spec:
            failures.append((i, json.dumps(spec), [("yaml", got["yaml"])]))
    assert not failures, f"{len(failures)} of {CASES} differ; first: {failures[:3]}"
    # The sample exercises both computed rows and error messages.
    assert statuses["ok"] > 400 and statuses["error"] > 100, statuses
    assert console_errors(calc) == []


def test_the_issues_example_and_tensorflow_same(calc):
    spec = {"name": "t", "input": [1, 4, 4], "layers": [
        {"conv": {"out": 1, "kernel": 3, "stride": 2, "padding": 1}},
        {"conv": {"out": 1, "kernel": 3, "stride": 2, "padding": "same"}},
    ]}
    torch, tf = (calc.execute_script("return AtlasCalc.compute(arguments[0], arguments[1])",
                                     spec, {"convention": c}) for c in ("torch", "tf"))
    assert torch["layers"][0]["output_shape"] == [1, *shapes.conv2d_output_hw(4, 3, 2, 1)] \
        == [1, 2, 2]
    with pytest.raises(ValueError) as exc:
        shapes.conv2d_output_hw(2, 3, 2, "same")
    assert torch["layers"][1]["error"] == str(exc.value)
    n = shapes.tf_output_size(2, 3, 2)[0]
    assert tf["layers"][1]["output_shape"] == [1, n, n] == [1, 1, 1]


def test_tensorflow_column_follows_keras_where_it_parts_from_pytorch(calc):
    """Issue 13's cases, each against generator.nn.tensorflow: a transposed convolution is
    Keras's 'valid' (H = 4, k = 2, s = 3: 12, PyTorch 11), a ceil_mode pool is Keras's 'same'
    (ceil(H / s)), and a stride with a dilation is Keras's refusal; PyTorch's column unchanged."""
    from generator.nn import tensorflow as tfr
    spec = {"name": "t", "input": [2, 4, 4], "layers": [
        {"conv_transpose": {"out": 2, "kernel": 2, "stride": 3}},              # 12 vs 11
        {"maxpool": {"kernel": 3, "stride": 2, "ceil_mode": True}},            # 12 -> 6 vs 6
        {"conv": {"out": 2, "kernel": 1}},
        {"avgpool": {"kernel": 2, "stride": 4, "ceil_mode": True}},            # 2 vs 2
        {"conv": {"out": 2, "kernel": 3, "stride": 2, "dilation": 2, "padding": 2}},
    ]}
    torch, tf = (calc.execute_script("return AtlasCalc.compute(arguments[0], arguments[1])",
                                     spec, {"convention": c}) for c in ("torch", "tf"))
    assert [r["output_shape"] for r in tf["layers"][:4]] == [
        [2, 12, 12], [2, 6, 6], [2, 6, 6], [2, 2, 2]]
    assert tf["layers"][0]["output_shape"][1] == tfr.conv_transpose_output_size(4, 2, 3, "valid")
    assert tf["layers"][1]["output_shape"][1] == tfr.pool_output_size(12, 3, 2, "same")[0]
    assert torch["layers"][0]["output_shape"] == [2, 11, 11]  # PyTorch's (H - 1)s + k
    with pytest.raises(ValueError) as exc:
        tfr.check_keras_conv((2, 2), (2, 2))
    assert tf["layers"][4]["status"] == "error" and tf["layers"][4]["error"] == str(exc.value)
    assert torch["layers"][4]["status"] == "ok"  # PyTorch computes it
    for convention, got in (("torch", torch), ("tf", tf)):
        assert _differences(spec, got, convention) == []
    # ceil_mode pools: Keras's 'same' gives ceil(H / s), where PyTorch often gives less.
    sizes = [(h, k, s) for h in range(1, 30) for k in range(1, 5) for s in range(1, 4) if k <= h]
    got = calc.execute_script("""
        return arguments[0].map(function (c) {
          var spec = {name: 'p', input: [1, c[0], 1], layers: [{maxpool: {kernel: [c[1], 1],
                      stride: [c[2], 1], ceil_mode: true}}]};
          return [AtlasCalc.compute(spec).layers[0].output_shape[1],
                  AtlasCalc.compute(spec, {convention: 'tf'}).layers[0].output_shape[1]];
        });""", sizes)
    assert [g[1] for g in got] == [tfr.pool_output_size(h, k, s, "same")[0] for h, k, s in sizes]
    assert [g[0] for g in got] == [shapes.pool_output_size(h, k, s, ceil_mode=True) for h, k, s in sizes]
    assert sum(a != b for a, b in got) > 50


def _python_table(text: str) -> dict:
    """What ``python -m generator table`` says of a spec's YAML: the table's rows and totals,
    or the one line of its first error (without a traceback)."""
    try:
        table = table_dict(layer_table(parse_spec(text, SOURCE, "calc")))
    except UserError as exc:
        return {"error": str(exc)}
    return {"error": None, "layers": table["layers"], "totals": table["totals"]}


def _as_python(got: dict, want: dict) -> dict:
    """The page's answer on the keys Python gives (rows compared key by key, children too)."""
    if got["error"] or want["error"]:
        return {"error": got["error"]}

    def rows(have, like):
        return [{k: rows(h[k], w[k]) if k == "children" else h.get(k, "<missing>") for k in w}
                for h, w in zip(have, like)] + have[len(like):]

    return {"error": None, "layers": rows(got["table"]["layers"], want["layers"]),
            "totals": {k: got["table"]["totals"].get(k) for k in want["totals"]}}


GRAPH_CASES = 240


def test_graph_specs_match_python(engine):
    """Random graph specs (inputs, add, multiply, concat, crop, residual, basic, bottleneck,
    branches, repeat with $parameters), read from their YAML: the same rows and totals as
    table_dict, or the same one line naming the layer and the field."""
    specs = graph_specs(GRAPH_CASES, SEED)
    texts = [yaml.safe_dump(s, sort_keys=False, allow_unicode=True) for s in specs]
    got = engine.execute_script(
        "return arguments[0].map(function (t) { return AtlasCalc.table(t, arguments[1]); });"
        .replace("arguments[1]", repr(SOURCE)), texts)
    failures, ok, errors = [], 0, set()
    for i, (text, g) in enumerate(zip(texts, got)):
        want = _python_table(text)
        if _as_python(g, want) != want:
            failures.append((i, text, g["error"], want["error"]))
        if want["error"]:
            errors.add(want["error"].split(": ")[-1][:30])
        else:
            ok += 1
    assert not failures, f"{len(failures)} of {len(specs)} differ; first: {failures[:2]}"
    # both computed tables and many different messages
    assert ok >= GRAPH_CASES // 3 and len(errors) >= 25, (ok, len(errors))
    assert console_errors(engine) == []


#: Mistakes in pasted specs, one each: an unknown field or kind (with Python's hint), a
#: cycle, a later layer, blocks that are missing, repeat themselves or lack a parameter,
#: shapes that cannot be cropped, concatenated or added, merges with one input, ...
MISTAKES = [
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - conv: {out: 4, kernal: 3}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - cnov: {out: 4}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {name: a, inputs: a}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {inputs: b}\n  - relu: {name: b}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - repeat: {block: nope}\n',
    'name: x\ninput: [3, 8, 8]\nblocks:\n  b: {params: {c: ~}, layers: [{conv: {out: $c, kernel: 1}}]}\nlayers:\n  - repeat: {block: b}\n',
    'name: x\ninput: [3, 8, 8]\nblocks:\n  b: {layers: [{repeat: {block: b}}]}\nlayers:\n  - repeat: {block: b}\n',
    'name: x\ninput: [3, 8, 8]\nblocks:\n  b: {params: {c: 1}, layers: [{conv: {out: $d, kernel: 1}}]}\nlayers:\n  - repeat: {block: b, params: {c: 2}}\n',
    'name: x\ninput: [3, 8, 8]\nblocks:\n  b: {params: {c: 1}, layers: [relu]}\nlayers:\n  - repeat: {block: b, each: [{c: 2}, {e: 3}]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - crop: {size: 9}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {name: a}\n  - maxpool: {kernel: 2, name: b}\n  - concat: {inputs: [a, b]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {name: a}\n  - conv: {out: 2, kernel: 1, name: b}\n  - add: {inputs: [a, b]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - add: {inputs: [input]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {inputs: [input, input]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - upsample: {}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - concat: {branches: [[relu]]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - residual: {main: [{conv: {out: 4, kernel: 1}}]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - repeat: {block: b, times: 2, each: [{}]}\nblocks: {b: {layers: [relu]}}\n',
    'name: x\ninput: [3, 8, 8]\nblocks: {b: {layers: [relu], extra: 1}}\nlayers: [relu]\n',
    'name: x\ninput: [3, 8, 8]\nblocks: {1b: {layers: [relu]}}\nlayers: [relu]\n',
    'name: x\ninput: [3, 8, 8]\nlayers: [relu]\npublished: {source: me}\n',
    "name: x\ninput: [3, 8, 8]\nlayers: [relu]\ndescription: ''\n",
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - relu: {name: a}\n  - relu: {name: a}\n  - add: {inputs: [a, input]}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - channel_split: {chunks: 4, index: 3}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - basic: {out: 4}\n  - flatten\n  - bottleneck: {width: 2}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - gelu: {approximate: fast}\n',
    'name: x\ninput: [3, 8, 8]\nlayers:\n  - pad: {padding: [1, 2, 3]}\n',
]


def test_mistakes_in_a_pasted_spec_are_pythons_one_line(engine):
    got = engine.execute_script(
        "return arguments[0].map(function (t) { return AtlasCalc.table(t).error; });", MISTAKES)
    for text, error in zip(MISTAKES, got):
        with pytest.raises(UserError) as exc:
            layer_table(parse_spec(text, SOURCE, "calc"))
        assert error == str(exc.value), text


def test_cards_edited_as_yaml_and_a_spec_file_loaded(engine, tmp_path):
    """'Edit as YAML' turns the cards into their spec, computed as a pasted one with the same
    rows; a spec file chosen in the file input is read and computed like a built-in."""
    by = _by()
    engine.get(engine.current_url.split("#")[0] + "#" + "v1&name=x&in=1,28,28&l="
               "conv:out=4,kernel=5;maxpool:kernel=2;flatten;linear:out=10")
    engine.refresh()
    _wait(engine, "return !!(window.AtlasCalc && AtlasCalc.page)")
    cards = [r[2] for r in _cells(engine)]
    assert cards == ["4×24×24", "4×12×12", "576", "10"]
    engine.find_element(by.CSS_SELECTOR, "#atlas-calc-specbox summary").click()
    engine.find_element(by.ID, "atlas-calc-edit-yaml").click()
    text = engine.find_element(by.ID, "atlas-calc-spec").get_attribute("value")
    assert yaml.safe_load(text)["layers"][0] == {"conv": {"out": 4, "kernel": 5}}
    assert [r[2] for r in _cells(engine)] == cards
    assert engine.find_element(by.ID, "atlas-calc-layers").get_attribute("hidden") is not None
    _wait(engine, "return location.hash.indexOf('#y1&yaml=') === 0")

    path = tmp_path / "mine.yaml"
    path.write_text((SPEC_DIR / "squeezenet1-1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    engine.find_element(by.ID, "atlas-calc-file").send_keys(str(path))
    table = layer_table(load_builtin("squeezenet1-1"))
    _wait(engine, "return document.querySelector('#atlas-calc-table tfoot').textContent"
                  ".indexOf(arguments[0]) >= 0", 10, f"{table.totals.params:,}")
    assert engine.find_element(by.ID, "atlas-calc-spec-error").text == ""
    assert console_errors(engine) == []


def _network_fields(driver) -> dict:
    """What the fields above the layers say: name, input, "Start from", and if disabled."""
    return driver.execute_script("""
        var name = document.getElementById('atlas-calc-name');
        var net = document.getElementById('atlas-calc-net');
        return {name: name.value, disabled: name.disabled,
                input: ['c', 'h', 'w'].map(function (d) {
                  return document.getElementById('atlas-calc-in-' + d).value; }),
                start: net.value, shown: net.options[net.selectedIndex].text,
                markup: document.querySelectorAll('#atlas-calc img, #atlas-calc script').length,
                state: [AtlasCalc.page.state.name, AtlasCalc.page.state.layers.length]};""")


def test_the_fields_above_show_the_network_loaded_and_act_on_it(engine, tmp_path):
    """A pasted or loaded spec puts its own name and input in the fields above the table
    (disabled for a graph, whose YAML holds them), as text; "Start from" names a built-in
    only while it is on the page as loaded; a field edited after a load edits that network."""
    by = _by()
    from selenium.webdriver.support.select import Select
    engine.get(engine.current_url.split("#")[0] + "#v1&name=x&in=1,28,28&l=conv:out=4,kernel=5")
    engine.refresh()
    _wait(engine, "return !!(window.AtlasCalc && AtlasCalc.page)")
    fields = _network_fields(engine)
    assert (fields["name"], fields["input"], fields["start"]) == ("x", ["1", "28", "28"], "")
    assert fields["shown"] == "choose a network"  # not convnet39, the first built-in
    engine.find_element(by.CSS_SELECTOR, "#atlas-calc-specbox summary").click()
    engine.find_element(by.ID, "atlas-calc-edit-yaml").click()
    assert _network_fields(engine) | {"state": None} == fields | {"disabled": True, "state": None}

    evil = "<img src=x onerror=alert(1)>"
    for i, layers in enumerate(["  - relu: {name: a}\n  - add: {inputs: [input, a]}\n",  # graph
                                "  - relu\n"]):                                         # cards
        path = tmp_path / f"evil{i}.yaml"
        path.write_text(f"name: {json.dumps(evil)}\ninput: [2, 8, 8]\nlayers:\n{layers}",
                        encoding="utf-8")
        engine.find_element(by.ID, "atlas-calc-file").send_keys(str(path))
        _wait(engine, "return document.getElementById('atlas-calc-name').value === arguments[0]",
              10, evil)
        fields = _network_fields(engine)
        assert (fields["input"], fields["start"], fields["markup"]) == (["2", "8", "8"], "", 0)
        assert fields["disabled"] is (i == 0) and len(_cells(engine)) == 2 - i
    assert fields["state"] == [evil, 1]

    for id in ("squeezenet1-1", "lenet5"):  # a graph, then cards
        Select(engine.find_element(by.ID, "atlas-calc-net")).select_by_value(id)
        engine.find_element(by.XPATH, "//button[text()='Load']").click()
        net = load_builtin(id)
        fields = _network_fields(engine)
        assert (fields["name"], fields["input"], fields["start"]) == (
            net.name, [str(n) for n in net.input], id)
    _retype(engine.find_element(by.ID, "atlas-calc-name"), "Mine")
    fields = _network_fields(engine)
    assert fields["state"] == ["Mine", len(load_builtin("lenet5").layers)]
    assert fields["start"] == "" and len(_cells(engine)) == len(load_builtin("lenet5").layers)

    Select(engine.find_element(by.ID, "atlas-calc-net")).select_by_value("squeezenet1-1")
    engine.find_element(by.XPATH, "//button[text()='Load']").click()
    Select(engine.find_element(by.ID, "atlas-calc-net")).select_by_value("(empty)")
    engine.find_element(by.XPATH, "//button[text()='Load']").click()
    fields = _network_fields(engine)  # the empty network keeps the input shown: SqueezeNet's
    assert (fields["input"], fields["state"], fields["disabled"]) == (["3", "224", "224"],
                                                                      ["My network", 0], False)
    assert console_errors(engine) == []


def test_every_builtin_network_loads_with_pythons_table(engine):
    """Every built-in (BUILTINS, whatever is added), from its YAML file as the page gets it."""
    networks = engine.execute_script("return ATLAS_CALC.networks")
    assert [n["id"] for n in networks] == list(BUILTINS)
    assert {"resnet50", "mobilenet-v2", "inception3a", "unet"} <= set(BUILTINS)
    results = engine.execute_script(
        "return arguments[0].map(function (n) { return AtlasCalc.table(n.yaml, n.id + '.yaml'); });",
        networks)
    for net, got in zip(networks, results):
        assert net["yaml"] == (SPEC_DIR / f"{net['id']}.yaml").read_text(encoding="utf-8")
        assert got["error"] is None, (net["id"], got["error"])
        table = table_dict(layer_table(load_builtin(net["id"])))
        want = {"error": None, "layers": table["layers"], "totals": table["totals"]}
        assert _as_python(got, want) == want, net["id"]


def test_a_card_offers_every_leaf_kind_and_a_new_one_is_a_valid_layer(engine):
    """Cards hold a plain sequence: every kind of the registry but blocks and merges; a
    layer added as a card starts valid (its required fields filled), as Python reads it."""
    from generator.specs import kinds
    card_kinds = engine.execute_script("return AtlasCalc._internal.cardKinds()")
    assert card_kinds == [k.name for k in kinds.KINDS
                          if k.calculator and not k.composite and not k.spec.MERGE]
    got = engine.execute_script("""
        return arguments[0].map(function (kind) {
          var starter = AtlasCalc._internal.STARTERS[kind] || {};
          var spec = AtlasCalc.stateSpec({name: 'n', input: ['8', '16', '16'],
                                          layers: [{kind: kind, texts: Object.assign({}, starter)}]});
          return {yaml: AtlasCalc.toYAML(spec), row: AtlasCalc.compute(spec).layers[0]};
        });""", card_kinds)
    for kind, g in zip(card_kinds, got):
        if kind == "linear":  # needs a flat input
            continue
        assert g["row"]["status"] == "ok", (kind, g["row"].get("error"))
        want = table_dict(layer_table(parse_spec(g["yaml"], SOURCE, "n")))["layers"][0]
        assert {k: g["row"][k] for k in ROW_KEYS} == {k: want[k] for k in ROW_KEYS}, kind


def test_exported_yaml_is_read_by_the_table_command(calc, tmp_path):
    specs = [s for s in sequential_specs(60, SEED + 1)
             if all(r["status"] == "ok" for r in expected(s)["layers"]) and not expected(s)["error"]]
    assert len(specs) >= 3
    results = _compute_all(calc, specs[:3])
    for i, (spec, got) in enumerate(zip(specs, results)):
        path = tmp_path / f"net{i}.yaml"
        path.write_text(got["yaml"], encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "generator", "table", str(path), "--format",
                              "json"], cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        table = json.loads(run.stdout)
        assert table["totals"]["params"] == got["torch"]["totals"]["params"]
        assert table["totals"]["macs"] == got["torch"]["totals"]["macs"]
        assert [r["output_shape"] for r in table["layers"]] == \
            [r["output_shape"] for r in got["torch"]["layers"]]


#: Things a reader may type into a size field, and into the name of the network.
TYPED = ["3", "3x5", "[3, 5]", "3,5", "3 × 5", "2.0", "2.5", "abc", "1e-5", "-1", "+4", "3x5x7",
         "same", "SAME", "yes", "true", "null", "1e3", "0x3", "it's", "[]", " 7 "]
NAMES = ["My net", "yes", "1", "a: b", "#x", "it's \"quoted\"", "ünïcode ×", "- item", "  "]


def test_what_a_reader_types_is_read_as_python_reads_the_export(calc):
    """Typed text -> spec value -> YAML export -> Python: same value, same message."""
    results = calc.execute_script("""
        return arguments[0].map(function (text) {
          var state = {name: 'n', input: ['1', '8', '8'], layers: [
            {kind: 'conv', texts: {out: '2', kernel: text}},
            {kind: 'maxpool', texts: {kernel: '2', padding: text}}]};
          var spec = AtlasCalc.stateSpec(state);
          return {yaml: AtlasCalc.toYAML(spec), torch: AtlasCalc.compute(spec),
                  tf: AtlasCalc.compute(spec, {convention: 'tf'})};
        });""", TYPED)
    failures = []
    for text, got in zip(TYPED, results):
        spec = yaml.safe_load(got["yaml"])
        for convention in ("torch", "tf"):
            problems = _differences(spec, got[convention], convention)
            if problems:
                failures.append((text, got["yaml"], problems))
    assert failures == []
    names = calc.execute_script("""
        return arguments[0].map(function (name) {
          var spec = AtlasCalc.stateSpec({name: name, input: ['1', '2', '2'], layers: []});
          return {yaml: AtlasCalc.toYAML(spec), errors: AtlasCalc.compute(spec).errors};
        });""", NAMES)
    for name, got in zip(NAMES, names):
        assert yaml.safe_load(got["yaml"])["name"] == name, got["yaml"]
        assert got["errors"][0] == expected(yaml.safe_load(got["yaml"]))["error"]


# ------------------------------------------------------------------ the page, by keyboard


def _keys():
    from selenium.webdriver.common.keys import Keys
    return Keys


def _by():
    from selenium.webdriver.common.by import By
    return By


def _cells(driver) -> list[list[str]]:
    return driver.execute_script(
        "return [].map.call(document.querySelectorAll('#atlas-calc-table tbody tr'), function (tr) {"
        "  return [].map.call(tr.cells, function (td) { return td.textContent; }); });")


def _retype(element, text: str) -> None:
    keys = _keys()
    element.send_keys(keys.CONTROL, "a")
    element.send_keys(keys.BACKSPACE)
    element.send_keys(text)


def _open(driver, url: str):
    driver.get("about:blank")
    driver.get(url)
    _wait(driver, "return !!(window.AtlasCalc && AtlasCalc.page)")


def test_typing_updates_the_table_and_errors_stay_on_their_row(calc, base_url):
    by = _by()
    _open(calc, base_url + "calculator/")
    rows = _cells(calc)
    assert [r[1].split("f=")[0] for r in rows][:3] == ["conv", "relu", "maxpool"]
    assert rows[0][2] == "16×32×32"

    _retype(calc.find_element(by.ID, "atlas-calc-in-h"), "4")
    _retype(calc.find_element(by.ID, "atlas-calc-in-w"), "4")
    assert _cells(calc)[0][2] == "16×4×4"

    kernel = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:first-child input[data-field=kernel]")
    _retype(kernel, "9")
    with pytest.raises(ValueError) as exc:
        shapes.conv2d_output_hw((4, 4), 9, 1, 1)
    rows = _cells(calc)
    assert rows[0][2] == f"Error: {exc.value}"
    assert all(r[2] == "— (after layer 1)" for r in rows[1:])
    card_error = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:first-child .atlas-calc__error")
    assert card_error.text == str(exc.value)

    # A malformed field: the spec checks' message, and the field is marked.
    _retype(kernel, "0")
    rows = _cells(calc)
    assert rows[0][2] == ("Error: kernel must be a positive integer or a pair [height, width] "
                          "of them, found 0")
    assert kernel.get_attribute("aria-invalid") == "true"
    _retype(kernel, "3")
    assert _cells(calc)[0][2] == "16×4×4" and kernel.get_attribute("aria-invalid") == "false"
    assert console_errors(calc) == []


def test_keyboard_reorders_removes_and_adds_layers(calc, base_url):
    by, keys = _by(), _keys()
    _open(calc, base_url + "calculator/")
    before = [r[1] for r in _cells(calc)]
    second = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:nth-child(2) select")
    second.send_keys(keys.ALT, keys.ARROW_UP)
    after = [r[1] for r in _cells(calc)]
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    # The focus moved with the layer.
    assert calc.switch_to.active_element.get_attribute("id") == calc.find_element(
        by.CSS_SELECTOR, "#atlas-calc-layers li:first-child select").get_attribute("id")

    calc.switch_to.active_element.send_keys(keys.ALT, keys.DELETE)
    assert [r[1] for r in _cells(calc)] == after[1:]

    remove = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:last-child button[data-act=remove]")
    remove.send_keys(keys.ENTER)
    assert [r[1] for r in _cells(calc)] == after[1:-1]

    kind = calc.find_element(by.ID, "atlas-calc-kind")
    kind.send_keys("linear")
    assert kind.get_attribute("value") == "linear"
    kind.send_keys(keys.TAB)
    calc.switch_to.active_element.send_keys(keys.ENTER)  # the "Add layer" button
    rows = _cells(calc)
    assert rows[-1][1].startswith("linear") and rows[-1][2] == "10"
    out = calc.switch_to.active_element  # focus is on the new layer's type
    assert out.tag_name == "select" and out.get_attribute("value") == "linear"
    assert console_errors(calc) == []


def test_tensorflow_column_link_and_export(calc, base_url):
    by, keys = _by(), _keys()
    _open(calc, base_url + "calculator/")
    first = "#atlas-calc-layers li:first-child "
    _retype(calc.find_element(by.CSS_SELECTOR, first + "input[data-field=stride]"), "2")
    _retype(calc.find_element(by.CSS_SELECTOR, first + "input[data-field=padding]"), "same")
    calc.find_element(by.ID, "atlas-calc-tf").send_keys(keys.SPACE)
    heads = calc.execute_script(
        "return [].map.call(document.querySelectorAll('#atlas-calc-table thead th'),"
        " function (th) { return th.textContent; })")
    assert heads[2:4] == ["PyTorch output (C×H×W)", "TensorFlow output (C×H×W)"]
    tf_col = heads.index("TensorFlow output (C×H×W)")
    row = _cells(calc)[0]
    assert row[2] == "Error: padding='same' is not supported for strided convolutions"
    assert row[tf_col] == "16×16×16"  # ceil(32 / 2)

    # The address holds the state (written once typing pauses): a fresh load of it
    # shows the same table.
    _wait(calc, "return location.hash.indexOf('padding=same') >= 0 && !AtlasCalc.page.hashTimer")
    url = calc.current_url
    assert "#v1&" in url and "padding=same" in url
    table = _cells(calc)
    _open(calc, url)
    assert _cells(calc) == table
    assert calc.find_element(by.ID, "atlas-calc-tf").is_selected()

    # Export: the YAML shown is the state's spec, and Python reads it to the same error.
    _retype(calc.find_element(by.CSS_SELECTOR, first + "input[data-field=padding]"), "1")
    calc.find_element(by.ID, "atlas-calc-export").send_keys(keys.ENTER)
    text = calc.find_element(by.ID, "atlas-calc-yaml").text
    spec = yaml.safe_load(text)
    assert spec["layers"][0] == {"conv": {"out": 16, "kernel": 3, "stride": 2, "padding": 1}}
    from generator.specs import parse_spec
    table = table_dict(layer_table(parse_spec(text, "calc.yaml", "calc")))
    assert [shape_row[2] for shape_row in _cells(calc)][:2] == [
        "×".join(map(str, r["output_shape"])) for r in table["layers"][:2]]
    href = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-yaml-panel a[download]").get_attribute("href")
    assert href.startswith("data:text/yaml")
    assert console_errors(calc) == []


def test_loading_a_builtin_network(calc, base_url):
    by = _by()
    _open(calc, base_url + "calculator/")
    from selenium.webdriver.support.select import Select
    Select(calc.find_element(by.ID, "atlas-calc-net")).select_by_value("vgg16")
    calc.find_element(by.XPATH, "//button[text()='Load']").click()
    total = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-table tfoot").text
    assert f"{layer_table(load_builtin('vgg16')).totals.params:,}" in total
    assert len(_cells(calc)) == len(load_builtin("vgg16").layers)


def _graph_rows(driver) -> int:
    return driver.execute_script("return document.querySelectorAll('#atlas-calc-table tbody tr').length")


def test_loading_a_graph_network_pasting_and_linking_a_spec(calc, base_url):
    """ResNet-50 (blocks), MobileNetV2 (repeats, inputs, add) and U-Net (crop, concat of
    inputs) load from the menu or a link with Python's totals, every row of their blocks
    shown; a pasted spec is read as typed, and a mistake in it is Python's one line."""
    by = _by()
    from selenium.webdriver.support.select import Select
    _open(calc, base_url + "calculator/")
    Select(calc.find_element(by.ID, "atlas-calc-net")).select_by_value("resnet50")
    calc.find_element(by.XPATH, "//button[text()='Load']").click()
    table = layer_table(load_builtin("resnet50"))
    assert f"{table.totals.params:,}" in calc.find_element(by.CSS_SELECTOR, "#atlas-calc-table tfoot").text
    assert _graph_rows(calc) == sum(1 for _ in table.walk())
    assert calc.find_element(by.ID, "atlas-calc-layers").get_attribute("hidden") is not None
    _wait(calc, "return location.hash === '#y1&net=resnet50'")

    for id in ("mobilenet-v2", "unet"):
        _open(calc, base_url + f"calculator/#y1&net={id}")
        table = layer_table(load_builtin(id))
        foot = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-table tfoot").text
        assert f"{table.totals.params:,}" in foot and f"{table.totals.macs:,}" in foot, id
        assert _graph_rows(calc) == sum(1 for _ in table.walk()), id

    # a pasted graph: computed from the text as typed; its address holds the text
    spec = ("name: SE\ninput: [4, 8, 8]\nlayers:\n  - relu: {name: x}\n  - global_pool\n"
            "  - conv: {out: 4, kernel: 1}\n  - sigmoid: {name: gate}\n"
            "  - multiply: {inputs: [x, gate]}\n")
    box = calc.find_element(by.ID, "atlas-calc-spec")
    calc.execute_script("document.getElementById('atlas-calc-specbox').open = true")
    _retype(box, spec)
    calc.find_element(by.ID, "atlas-calc-read").click()
    want = table_dict(layer_table(parse_spec(spec, "calculator.yaml", "se")))
    assert [r[2] for r in _cells(calc)] == ["×".join(map(str, r["output_shape"])) for r in want["layers"]]
    _wait(calc, "return location.hash.indexOf('#y1&yaml=') === 0")
    # a mistake: one line naming the file, the layer and the field, as Python's
    _retype(box, spec.replace("[x, gate]", "[x, gates]"))
    with pytest.raises(UserError) as exc:
        layer_table(parse_spec(spec.replace("[x, gate]", "[x, gates]"), "calculator.yaml", "se"))
    assert "layer 5 (multiply): inputs: 'gates' is not the name" in str(exc.value)
    _wait(calc, "return document.getElementById('atlas-calc-spec-error').textContent === arguments[0]", 10,
          str(exc.value))
    assert box.get_attribute("aria-invalid") == "true"
    # reopened from its address, the same text and the same error
    _wait(calc, "return location.hash.indexOf('gates') > 0")
    _open(calc, calc.current_url)
    assert calc.find_element(by.ID, "atlas-calc-spec").get_attribute("value") == \
        spec.replace("[x, gate]", "[x, gates]")
    assert calc.find_element(by.ID, "atlas-calc-spec-error").text == str(exc.value)
    # a plain sequence goes back to cards
    Select(calc.find_element(by.ID, "atlas-calc-net")).select_by_value("lenet5")
    calc.find_element(by.XPATH, "//button[text()='Load']").click()
    assert calc.find_element(by.ID, "atlas-calc-layers").get_attribute("hidden") is None
    assert len(_cells(calc)) == len(load_builtin("lenet5").layers)
    assert console_errors(calc) == []


def test_phone_width_has_no_page_overflow(calc, base_url):
    calc.set_window_size(375, 800)
    try:
        _open(calc, base_url + "calculator/#v1&name=x&in=3,224,224&l=conv:out=64,kernel=7,stride=2,"
                              "padding=3;maxpool:kernel=3,stride=2,padding=1;flatten;linear:out=1000")
        overflow = calc.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        # The table scrolls inside its own box instead.
        assert calc.execute_script("var w = document.querySelector('.atlas-calc__scroll');"
                                   "return w.scrollWidth >= w.clientWidth")
    finally:
        calc.set_window_size(1280, 1000)


def test_works_from_file_url(browser, built_site):
    _open(browser, (built_site / "calculator/index.html").as_uri() + "#v1&name=x&in=1,28,28&l="
          "conv:out=4,kernel=5;maxpool:kernel=2;flatten;linear:out=10")
    rows = _cells(browser)
    assert [r[2] for r in rows] == ["4×24×24", "4×12×12", "576", "10"]
    errors = [e for e in console_errors(browser) if "calculator" in e]
    assert errors == []


# ------------------------------------------------------------------ thousands of layers


def _long_network(n: int) -> tuple[str, dict]:
    """A link to ``n`` layers (conv, relu, ...) and the same network as spec data."""
    link = "#v1&name=long&in=3,32,32&l=" + ";".join(["conv:out=4,kernel=3,padding=1", "relu"] * (n // 2))
    spec = {"name": "long", "input": [3, 32, 32],
            "layers": [{"conv": {"out": 4, "kernel": 3, "padding": 1}}, "relu"] * (n // 2)}
    return link, spec


def _stubs(driver) -> int:
    """How many layers still wait for their card."""
    return driver.execute_script("return AtlasCalc.page.cards.filter(function (c) { return !c.node; }).length")


def test_five_thousand_layers_paint_at_once_and_build_the_other_cards_later(calc, base_url):
    """Bounded work, counted rather than timed: opening 5,000 layers builds the table's 5,000
    rows and only the first cards at once, then the others in later tasks of a bounded size;
    in all, each card and row once. Typing in one layer rebuilds no card and only the rows
    that changed (before, every keystroke rebuilt all 5,000 rows and every move all cards)."""
    by = _by()
    link, spec = _long_network(5000)
    first, batch = calc.execute_script("var i = AtlasCalc._internal; return [i.FIRST_CARDS, i.CARD_BATCH]")
    assert 0 < first <= 100 and 0 < batch <= 200
    _open(calc, base_url + "calculator/" + link)
    _wait(calc, "return AtlasCalc.page.cards.every(function (c) { return c.node; })", 60)
    assert calc.execute_script("return AtlasCalc.page.stats") == {
        "cards": 5000, "rows": 5000, "tables": 1}
    assert calc.execute_script("return document.querySelectorAll('#atlas-calc-layers > li').length") == 5000
    rows = _cells(calc)
    table = table_dict(layer_table(parse_spec(yaml.safe_dump(spec), "long.yaml", "long")))
    assert len(rows) == 5000
    assert [r[2] for r in rows[-2:]] == ["4×32×32", "4×32×32"]
    assert rows[-1][3:] == ["0", "0", "5001", "1"]  # RF 1 + 2,500 convolutions × 2
    assert table["layers"][-1]["receptive_field"]["size"] == [5001, 5001]
    last = calc.execute_script("var r = AtlasCalc.page.last.torch.layers; return r[r.length - 1]")
    assert {k: last[k] for k in ROW_KEYS} == {k: table["layers"][-1][k] for k in ROW_KEYS}

    # One keystroke in layer 1 (out 4 -> 40, then back): its row, the relu's and the next
    # conv's (its parameters) change; no card is built.
    out = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:first-child input[data-field=out]")
    out.send_keys(_keys().END, "0")
    stats = calc.execute_script("return AtlasCalc.page.stats")
    assert stats == {"cards": 5000, "rows": 5000 + 3, "tables": 1}
    assert [r[2] for r in _cells(calc)[:3]] == ["40×32×32", "40×32×32", "4×32×32"]
    out.send_keys(_keys().BACKSPACE)
    assert calc.execute_script("return AtlasCalc.page.stats") == {"cards": 5000, "rows": 5000 + 6, "tables": 1}

    # Moving a layer builds no card; removing one neither.
    first_select = calc.find_element(by.CSS_SELECTOR, "#atlas-calc-layers li:first-child select")
    first_select.send_keys(_keys().ALT, _keys().ARROW_DOWN)
    calc.switch_to.active_element.send_keys(_keys().ALT, _keys().DELETE)
    assert calc.execute_script("return AtlasCalc.page.stats.cards") == 5000
    rows = _cells(calc)
    assert len(rows) == 4999 and rows[0][1] == "relu" and rows[0][2] == "3×32×32"

    # Showing 5,000 new layers: the table at once, FIRST_CARDS cards at once, the rest later.
    now = calc.execute_script("""
        var p = AtlasCalc.page, before = p.stats.cards;
        p.load(AtlasCalc.decodeState(arguments[0]));
        return {built: p.stats.cards - before, rows: document.querySelectorAll('#atlas-calc-table tbody tr').length,
                stubs: p.cards.filter(function (c) { return !c.node; }).length,
                room: p.room.style.getPropertyValue('--atlas-calc-waiting')};""", link)
    # the list keeps room for the cards to come, so the table below does not move up
    assert now == {"built": first, "rows": 5000, "stubs": 5000 - first, "room": str(5000 - first)}
    _wait(calc, "return AtlasCalc.page.cards.every(function (c) { return c.node; })", 60)
    assert calc.execute_script("return AtlasCalc.page.room.style.getPropertyValue('--atlas-calc-waiting')") == "0"
    assert calc.execute_script("return AtlasCalc.page.stats.cards") == 5000 + 5000
    assert _stubs(calc) == 0
    assert calc.execute_script("return document.querySelectorAll('#atlas-calc-layers > li').length") == 5000
    # The cards are in the layers' order, each with its number.
    numbers = calc.execute_script(
        "return [].map.call(document.querySelectorAll('#atlas-calc-layers > li'), function (li) {"
        " return Number(li.getAttribute('data-index')); })")
    assert numbers == list(range(5000))
    assert console_errors(calc) == []


def test_a_layer_without_its_card_yet_can_be_moved_to_and_focused(calc, base_url):
    """Alt+Down from the last card built moves the layer among layers whose cards are still
    to come: the card it lands on is built at once and the focus follows."""
    link, _ = _long_network(5000)
    _open(calc, base_url + "calculator/" + link)
    first = calc.execute_script("""
        var p = AtlasCalc.page, n = AtlasCalc._internal.FIRST_CARDS;
        p.load(AtlasCalc.decodeState(arguments[0]));
        var select = p.cards[n - 1].kind;
        select.focus();
        select.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', altKey: true, bubbles: true}));
        var active = document.activeElement.closest('li');
        return {n: n, at: active && Number(active.getAttribute('data-index')),
                kinds: [p.state.layers[n - 1].kind, p.state.layers[n].kind],
                order: [].map.call(document.querySelectorAll('#atlas-calc-layers > li'), function (li) {
                  return Number(li.getAttribute('data-index')); })};""", link)
    n = first["n"]
    assert first["at"] == n  # the moved layer's card, built, has the focus
    kind = lambda i: "relu" if i % 2 else "conv"  # noqa: E731  (conv, relu, conv, ...)
    assert first["kinds"] == [kind(n), kind(n - 1)]  # swapped
    assert first["order"] == sorted(first["order"])
    _wait(calc, "return AtlasCalc.page.cards.every(function (c) { return c.node; })", 60)
    assert calc.execute_script(
        "return [].map.call(document.querySelectorAll('#atlas-calc-layers > li'), function (li) {"
        " return Number(li.getAttribute('data-index')); })") == list(range(5000))
    assert console_errors(calc) == []


# ------------------------------------------------------------------ limits


def _spec_message(text: str) -> str:
    """Python's one line about a spec's YAML text, without the file name."""
    with pytest.raises(UserError) as info:
        parse_spec(text, "calc.yaml", "calc")
    return str(info.value).removeprefix("calc.yaml: ")


def test_one_long_text_named_by_many_aliases_is_refused_as_python_refuses_it(engine):
    """A 440 KB spec naming a 400,000-character text 12 times expands to 4.8 M characters:
    Python's loader refuses it (limits.MAX_TEXT_CHARS), and so does the calculator, with
    the same words, before it builds anything from the text."""
    text = "name: &t " + "n" * 400_000 + "\ninput: [1, 4, 4]\nlayers: [relu]\nx: [" + \
        ", ".join(["*t"] * 11) + "]\n"
    python = _spec_message(text)
    got = engine.execute_script(
        "try { AtlasCalc.read(arguments[0]); return null; } catch (e) { return e.text; }", text)
    assert python.endswith(": " + got) and got == (
        f"aliases expand to more than {MAX_TEXT_CHARS:,} characters of text")
    just = text.replace(", ".join(["*t"] * 11), ", ".join(["*t"] * 9))  # 4.0 M: within
    assert engine.execute_script(
        "try { AtlasCalc.read(arguments[0]); return null; } catch (e) { return e.text; }",
        just) is None


def test_a_link_to_a_huge_adaptive_pool_answers_with_pythons_message(calc, base_url):
    """The link of issue 11 froze the tab for 45 s (a list of a billion windows)."""
    calc.set_script_timeout(20)
    try:
        _open(calc, base_url + "calculator/#v1&name=x&in=3,32,32&l=adaptive_avgpool:output=1000000000")
    finally:
        calc.set_script_timeout(60)
    row = calc.execute_script("return AtlasCalc.page.last.torch.layers[0]")
    message = _spec_message("name: x\ninput: [3, 32, 32]\nlayers:\n"
                            "  - adaptive_avgpool: {output: 1000000000}\n")
    assert f"{row['where']}: {row['error']}" == message
    assert message == ("layer 1 (adaptive_avgpool): output must be at most 1,000,000, "
                       "found 1000000000")
    assert _cells(calc)[0][2] == "Error: " + row["error"]


#: What a reader may type past the limits (field, text), and on the input (C, H, W).
HUGE = [("output", "1000000000000000000000000000000"), ("output", "1000001"),
        ("output", "1000000"), ("output", "1000000x3"), ("kernel", "3x1000001"),
        ("kernel", "1000001x0"), ("kernel", "0x1000001"), ("padding", "1000001"),
        ("stride", "99999999999999999999"), ("out", "-1000000000000000000000"),
        ("dilation", "1e7"), ("groups", "1000001")]


def test_sizes_past_the_limit_give_pythons_messages(calc):
    layers = {"output": "adaptive_avgpool", "kernel": "conv", "padding": "conv",
              "stride": "maxpool", "out": "linear", "dilation": "conv", "groups": "conv"}
    starters = {"conv": {"out": "2", "kernel": "1"}, "maxpool": {"kernel": "1"},
                "linear": {}, "adaptive_avgpool": {}}
    states = [{"name": "n", "input": ["1", "8", "8"], "layers": [
        {"kind": layers[field], "texts": {**starters[layers[field]], field: text}}]}
        for field, text in HUGE]
    states += [{"name": "n", "input": ["3", "1000001", "8"], "layers": [{"kind": "relu", "texts": {}}]},
               {"name": "n", "input": ["1000000", "1", "1"], "layers": [{"kind": "relu", "texts": {}}]},
               {"name": "n", "input": ["1000000000000000000000000", "1", "1"],
                "layers": [{"kind": "relu", "texts": {}}]}]
    results = calc.execute_script("""
        return arguments[0].map(function (state) {
          var spec = AtlasCalc.stateSpec(state);
          return {yaml: AtlasCalc.toYAML(spec), torch: AtlasCalc.compute(spec),
                  tf: AtlasCalc.compute(spec, {convention: 'tf'})};
        });""", states)
    failures, too_large = [], []
    for state, got in zip(states, results):
        spec = yaml.safe_load(got["yaml"])
        for convention in ("torch", "tf"):
            problems = _differences(spec, got[convention], convention)
            if problems:
                failures.append((state, got["yaml"], problems))
        messages = got["torch"]["errors"] + [r.get("error", "") for r in got["torch"]["layers"]]
        too_large.append(any("must be at most 1,000,000, found" in m for m in messages))
    assert failures == []
    # At the limit is fine; a pair's first bad value is the one reported (0 before 10^6+1).
    assert too_large == [True, True, False, False, True, True, False, True, True, False, False, True,
                         True, False, True]


def test_more_than_ten_thousand_layers(calc, base_url):
    """A link holds the layers up to the first one too many (its row gives Python's
    message) and leaves out the rest, so a link of any length opens in bounded work."""
    limit = calc.execute_script("return ATLAS_CALC.limits.max_layers")
    assert limit == 10_000
    _open(calc, base_url + "calculator/#v1&name=x&in=1,1,4&l=" + ";".join(["relu"] * (limit + 5)))
    page = calc.execute_script(
        "var p = AtlasCalc.page, rows = p.last.torch.layers; return {cards: p.cards.length,"
        " rows: rows.length, last: rows[rows.length - 1], before: rows[rows.length - 2].status,"
        " note: document.querySelector('.atlas-calc__note').textContent}")
    message = _spec_message("name: x\ninput: [1, 1, 4]\nlayers:\n" + "  - relu\n" * (limit + 1))
    assert message == "layer 10001 (relu): more than 10,000 layers (blocks count the layers inside)"
    assert (page["cards"], page["rows"], page["before"]) == (limit + 1, limit + 1, "ok")
    assert f"{page['last']['where']}: {page['last']['error']}" == message
    assert page["note"] == "Left out the last 4 layers: a spec has at most 10,000."
    # compute() itself reads no further than the first layer too many.
    rows = calc.execute_script("return AtlasCalc.compute({name: 'x', input: [4], layers:"
                               " new Array(100000).fill('relu')}).layers.length")
    assert rows == limit + 1


def test_adaptive_pooling_windows_in_closed_form_agree_with_python(calc):
    from generator.tables.receptive import adaptive_window
    pairs = [(size, out) for size in range(1, 41) for out in range(1, 41)]
    got = calc.execute_script("""
        return arguments[0].map(function (p) {
          var r = AtlasCalc.compute({name: 'a', input: [1, p[0], 7],
            layers: [{adaptive_avgpool: {output: [p[1], 7]}}]}).layers[0];
          var f = r.receptive_field;
          return f ? [f.size[0], f.jump[0]] : null;
        });""", pairs)
    want = [list(adaptive_window(size, out)) if adaptive_window(size, out) else None
            for size, out in pairs]
    assert got == want
    assert [None, [3, 2], [1, 0]] == [want[pairs.index((5, 3))], want[pairs.index((7, 3))],
                                      want[pairs.index((1, 4))]]


# ------------------------------------------------------------------ names and the YAML export

#: Names the calculator accepts: each must come back from its YAML export unchanged.
GOOD_NAMES = [
    "plain", "My net", "it's \"quoted\"", "a: b", "a:b", "#hash", "x #y", " leading", "trailing ",
    "  both  ", "ünïcode ×", "😀 emoji 🧠", "a\\b", "\\", "\\n", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "&amp; &lt;", "yes", "no", "null", "~", "true", "Off", "y",
    "1", "1.5", "0x10", "1e3", ".inf", "-1", "- item", "[a]", "{a: 1}", "&anchor", "*alias",
    "!tag", "|", ">", "%x", "@x", "`x`", ",", "?", "'", '"', "a\u00a0b", "x\u200by", "\ufeffbom",
    "a\u3000", "\u0301accent", "مرحبا", "𝔘𝔫𝔦", "a\ue000b", "a  b", "${x}", "%(x)s", "{{x}}",
]
#: Names the spec format refuses (control characters, line breaks, noncharacters, blanks).
BAD_NAMES = ["a\x7fb", "a\ufffeb", "a\uffffb", "a\x85b", "a\u2028b", "a\u2029b", "a\tb", "a\nb",
             "a\rb", "a\x00b", "a\x9fb", "a\U0010ffffb", "a\U0001fffeb", "\x1cx", "x\ufdd0",
             "  ", "\u3000"]
#: Lone surrogates: not characters at all (no browser input yields one; a script can).
SURROGATES = ["\ud800", "x\udfffy"]


def _names_in_the_page(calc, names: list[str]) -> list[dict]:
    """Each name as the network's and a layer's name: the export and what compute says."""
    units = [list(memoryview(n.encode("utf-16-le", "surrogatepass")).cast("H")) for n in names]
    return calc.execute_script("""
        return arguments[0].map(function (units) {  // UTF-16 code units: WebDriver's JSON
          var name = String.fromCharCode.apply(null, units);  // cannot carry a lone surrogate
          var spec = AtlasCalc.stateSpec({name: name, input: ['1', '2', '2'],
                                          layers: [{kind: 'relu', texts: {name: name}}]});
          var got = AtlasCalc.compute(spec);
          return {yaml: AtlasCalc.toYAML(spec), errors: got.errors, layer: got.layers[0]};
        });""", units)


def test_every_name_the_calculator_accepts_round_trips_through_the_cli(calc, tmp_path):
    results = _names_in_the_page(calc, GOOD_NAMES)
    for name, got in zip(GOOD_NAMES, results):
        assert got["errors"] == [] and got["layer"]["status"] == "ok", (name, got)
        data = yaml.safe_load(got["yaml"])
        assert data["name"] == name and data["layers"] == [{"relu": {"name": name}}], got["yaml"]
        net = parse_spec(got["yaml"], "calc.yaml", "calc")
        assert net.name == name.strip() == net.layers[0].name == got["layer"]["name"], name
    # The command line, on one spec holding every name (as layer names).
    layers = "".join(got["yaml"].split("layers:\n")[1] for got in results)
    path = tmp_path / "names.yaml"
    path.write_text(results[0]["yaml"].split("layers:\n")[0] + "layers:\n" + layers, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "table", str(path), "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert [r["name"] for r in json.loads(run.stdout)["layers"]] == [n.strip() for n in GOOD_NAMES]


def test_names_the_spec_format_refuses_are_refused_with_pythons_message(calc):
    results = _names_in_the_page(calc, BAD_NAMES)
    for name, got in zip(BAD_NAMES, results):
        assert yaml.safe_load(got["yaml"])["name"] == name, got["yaml"]  # the export is exact
        text = got["yaml"]
        assert got["errors"][0] == _spec_message(text), name
        layer_only = text.replace(text.split("\n")[0], "name: n", 1)
        assert f"{got['layer']['where']}: {got['layer']['error']}" == _spec_message(layer_only), name
    assert results[0]["errors"][0] == ("name must be a non-empty line of text without control "
                                       "characters, found the string 'a\\x7fb'")


def test_lone_surrogates_are_refused_on_both_sides(calc):
    """Python's YAML reader refuses them before any field is checked ("not a character",
    with the line and column); the calculator refuses them as the name check does."""
    for name, got in zip(SURROGATES, _names_in_the_page(calc, SURROGATES)):
        assert got["yaml"].startswith('name: "' + name.encode("unicode_escape").decode() + '"')
        assert got["errors"][0] == ("name must be a non-empty line of text without control "
                                    f"characters, found the string {name!r}")
        assert "a lone surrogate" in _spec_message(got["yaml"])


def test_name_check_and_python_agree_on_every_code_point(calc):
    """The calculator's pattern (sent by the generator) refuses exactly what Python's does."""
    from generator.specs.fields import NOT_IN_LINE
    js = calc.execute_script("""
        var re = new RegExp(ATLAS_CALC.not_in_line, 'u'), out = [];
        for (var cp = 0; cp <= 0x10FFFF; cp++) if (re.test(String.fromCodePoint(cp))) out.push(cp);
        return out;""")
    assert js == [cp for cp in range(0x110000) if NOT_IN_LINE.search(chr(cp))]


# ------------------------------------------------------------------ the address is data


#: Payloads for each part of the address: the network's name, an input size, a layer's
#: name, a field's value, a kind the calculator does not know.
PAYLOADS = {
    "name": '<img src=x onerror="window.__pwned=1">',
    "in": '"><svg onload=window.__pwned=2>',
    "layer": "</td><script>window.__pwned=3</script>",
    "kernel": "<img src=x onerror=window.__pwned=4>",
    "kind": "<b onmouseover=window.__pwned=5>x</b>",
}


def test_the_address_is_shown_as_text_never_run_as_markup(calc, base_url):
    from urllib.parse import quote
    q = lambda s: quote(s, safe="")  # noqa: E731
    raw = PAYLOADS["layer"].replace(";", "")  # unencoded too: the parser must cope
    link = (f"#v1&name={q(PAYLOADS['name'])}&in=3,{q(PAYLOADS['in'])},8&tf=1&l="
            f"conv:out=2,kernel={q(PAYLOADS['kernel'])},name={q(PAYLOADS['layer'])};"
            f"{q(PAYLOADS['kind'])};relu:name={raw};maxpool:kernel=%ZZ,padding=javascript:alert(1)")
    _open(calc, base_url + "calculator/" + link)
    calc.find_element(_by().ID, "atlas-calc-export").click()
    page = calc.execute_script("""
        var root = document.getElementById('atlas-calc');
        return {pwned: window.__pwned || null,
                markup: root.querySelectorAll('img, script, svg, b, iframe, object').length,
                name: document.getElementById('atlas-calc-name').value,
                height: document.getElementById('atlas-calc-in-h').value,
                table: document.getElementById('atlas-calc-table').textContent,
                note: root.querySelector('.atlas-calc__note').textContent,
                yaml: document.getElementById('atlas-calc-yaml').textContent,
                links: [].map.call(root.querySelectorAll('a[href]'), function (a) {
                  return a.getAttribute('href').slice(0, 20); })};""")
    assert page["pwned"] is None and page["markup"] == 0
    assert page["name"] == PAYLOADS["name"] and page["height"] == PAYLOADS["in"]
    assert PAYLOADS["layer"] in page["table"] and raw in page["table"]
    assert f"kernel must be a positive integer or a pair [height, width] of them, found the " \
           f"string '{PAYLOADS['kernel']}'" in page["table"]
    assert page["note"] == f"Left out layers the calculator does not know: {PAYLOADS['kind']}."
    assert page["links"] == ["data:text/yaml;chars"]
    spec = yaml.safe_load(page["yaml"])  # the export carries the payloads as plain strings
    assert spec["name"] == PAYLOADS["name"] and spec["input"][1] == PAYLOADS["in"]
    assert spec["layers"][0]["conv"]["name"] == PAYLOADS["layer"]
    assert spec["layers"][2]["maxpool"] == {"kernel": "%ZZ", "padding": "javascript:alert(1)"}
    assert console_errors(calc) == []


def test_the_calculator_never_parses_a_string_as_html_or_code():
    source = (ROOT / "docs/javascripts/calculator.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "Function(", "setTimeout(\"", "srcdoc", "javascript:"):
        assert sink not in source, sink
