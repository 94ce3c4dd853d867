"""The convolution explorer: its JavaScript against generator.nn, and its page driven as a reader would.

One behaviour, two languages: ``AtlasExplorer.compute`` must give the output
size, every output value, every output's window and every error message that
``generator.nn`` gives (conv2d, conv_transpose2d, max_pool2d, avg_pool2d, and
TensorFlow's 'SAME'/'VALID' through ``shapes.tf_output_size`` and ``nn.pad``)
on a few hundred seeded random settings; its presets must be the site's worked
examples; the code it shows must run and print its numbers.
"""

from __future__ import annotations

import collections
import contextlib
import io
import time

import numpy as np
import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -c constraints.txt -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from generator import nn, worked_examples as ex  # noqa: E402
from generator.nn import shapes  # noqa: E402
from tests.browser.conftest import console_errors  # noqa: E402
from tests.browser.explorer_cases import expected, expected_region, js_windows, random_cases, random_stack  # noqa: E402

pytestmark = pytest.mark.site

SEED = 20261129
CASES = 400

#: The explorer's results as JSON can carry (a max-pool window of padding only is -inf).
_COMPUTE = """
var plain = function (r) {
  if (r.values) r.values = r.values.map(function (p) { return p.map(function (row) {
    return row.map(function (v) { return v === -Infinity ? "-inf" : v; }); }); });
  delete r.partials;
  return r;
};
return arguments[0].map(function (c) { return plain(AtlasExplorer.compute(c)); });
"""


def _wait(driver, script: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


def _open(driver, url: str):
    driver.get("about:blank")  # a new document even when only the fragment differs
    driver.get(url)
    _wait(driver, "return !!(window.AtlasExplorer && AtlasExplorer.page)")


@pytest.fixture(scope="module")
def page(browser, base_url):
    _open(browser, base_url + "explorer/")
    console_errors(browser)
    return browser


def _values(got) -> np.ndarray:
    return np.array(got["values"], dtype=object).astype(float)  # "-inf" -> -inf


def _differences(case: dict, got: dict) -> list:
    want = expected(case)
    if "error" in want:
        return [] if got["error"] == want["error"] else [("error", got["error"], want["error"])]
    if got["error"]:
        return [("unexpected error", got["error"])]
    if got["out_shape"] != want["out_shape"]:
        return [("output size", got["out_shape"], want["out_shape"])]
    problems = []
    if not np.allclose(_values(got), want["values"], rtol=0, atol=1e-9):
        problems.append(("values", _values(got).tolist(), want["values"].tolist()))
    if js_windows(case, got) != want["windows"]:
        problems.append(("windows",))
    return problems


def test_random_settings_match_generator_nn(page):
    cases = random_cases(CASES, SEED)
    results = page.execute_script(_COMPUTE, cases)
    failures, errors, ops = [], collections.Counter(), collections.Counter()
    for i, (case, got) in enumerate(zip(cases, results)):
        problems = _differences(case, got)
        if problems:
            failures.append((i, {k: v for k, v in case.items() if k not in "xwb"}, problems[:1]))
        if got["error"]:
            errors[got["error"].split(" ")[0]] += 1
        else:
            ops[case["op"]] += 1
    assert not failures, f"{len(failures)} of {CASES} differ; first: {failures[:3]}"
    # The sample computes every operation and meets many of the messages.
    assert min(ops[op] for op in ("conv", "conv_transpose", "max_pool", "avg_pool")) >= 30, ops
    assert sum(errors.values()) >= 60 and len(errors) >= 8, errors
    modes = collections.Counter(c["pad_mode"] for c, r in zip(cases, results) if c["op"] == "conv" and not r["error"])
    assert min(modes[m] for m in ("numbers", "same", "valid", "SAME", "VALID")) >= 5, modes
    assert console_errors(page) == []


def test_tensorflow_sizes_follow_the_split_rule(page):
    """The sizes the explorer quotes for TensorFlow are shapes.tf_output_size's (or its message)."""
    cases = [c for c in random_cases(CASES, SEED + 1) if c["op"] == "conv"]
    got = page.execute_script(
        "return arguments[0].map(function (c) { var s = Object.assign({}, AtlasExplorer.DEFAULT, c);"
        " return AtlasExplorer.frameworks(s); });", cases)
    for case, fw in zip(cases, got):
        for mode in ("SAME", "VALID"):
            try:
                want = {"shape": [case["F"]] + [
                    shapes.tf_output_size(n, k, s, d, mode)[0]
                    for n, k, s, d in zip((case["H"], case["W"]), case["kernel"], case["stride"], case["dilation"])]}
            except ValueError as exc:
                want = {"error": str(exc)}
            assert fw["tf_" + mode] == want, (case, mode)
    # an even total: 6 wide, kernel 3, stride 2 pads 1 in all, the odd pixel at the bottom and right
    six = {"op": "conv", "C": 1, "H": 6, "W": 6, "kernel": [3, 3], "stride": [2, 2], "pad_mode": "SAME"}
    r = page.execute_script("return AtlasExplorer.compute(arguments[0])", six)
    out, top, bottom = shapes.tf_output_size(6, 3, 2, padding="SAME")
    assert r["out_shape"] == [1, out, out] == [1, 3, 3]
    assert r["pads"] == [top, bottom, top, bottom] == [0, 1, 0, 1]


def _preset_case(page, preset_id: str) -> dict:
    """The preset's state with its tensors, as the explorer fills them."""
    return page.execute_script("return AtlasExplorer.complete(AtlasExplorer.presetState(arguments[0]))", preset_id)


def test_presets_reproduce_the_worked_examples(page):
    presets = page.execute_script("return window.ATLAS_EXPLORER.presets")
    by_id = {p["id"]: p for p in presets}
    got = page.execute_script(
        "return arguments[0].map(function (id) { var r = AtlasExplorer.compute(AtlasExplorer.presetState(id));"
        " return {out_shape: r.out_shape, values: r.values, error: r.error}; });", list(by_id))
    results = dict(zip(by_id, got))
    for pid, r in results.items():
        assert r["error"] is None, (pid, r["error"])
    one = lambda a: np.array(a, dtype=float)[None, None]  # noqa: E731  (H, W) -> (1, 1, H, W)
    want = {
        "edge-step": nn.conv2d(one(ex.STEP_IMAGE), one(ex.VERTICAL)),
        "edge-notes": nn.conv2d(one(ex.NOTES_MATRIX), one(ex.VERTICAL)),
        "convolution-7x7": nn.conv2d(one(ex.SMALL_7X7), one(ex.DUMOULIN_KERNEL)),
        "stride-2": nn.conv2d(one(ex.SMALL_7X7), one(ex.DUMOULIN_KERNEL), stride=2),
        "stride-3": nn.conv2d(one(ex.SMALL_7X7), one(ex.DUMOULIN_KERNEL), stride=3),
        "max-pool-notes": nn.max_pool2d(one(ex.MAX_POOL_INPUT), 2, 2),
        "avg-pool-notes": nn.avg_pool2d(one(ex.AVG_POOL_INPUT), 2, 2),
    }
    for pid, y in want.items():
        assert results[pid]["out_shape"] == list(y.shape[1:]), pid
        np.testing.assert_array_equal(np.array(results[pid]["values"]), y[0], err_msg=pid)
    # the presets hold the worked examples' own numbers
    assert by_id["edge-step"]["state"]["vx"] == np.ravel(ex.STEP_IMAGE).tolist()
    assert by_id["edge-step"]["state"]["vw"] == np.ravel(ex.VERTICAL).tolist()
    assert by_id["stride-2"]["state"]["vx"] == np.ravel(ex.SMALL_7X7).tolist()
    assert by_id["max-pool-notes"]["state"]["vx"] == np.ravel(ex.MAX_POOL_INPUT).tolist()
    from generator.pages.foundations import fields
    t = fields.transposed_convolution()
    np.testing.assert_array_equal(np.array(results["transposed-stride-2"]["values"])[0], t["up"])
    # and every preset agrees with generator.nn on sizes, values and windows
    for p in presets:
        case = _preset_case(page, p["id"])
        js = page.execute_script(_COMPUTE, [case])[0]
        assert _differences(case, js) == [], p["id"]


def test_the_code_shown_runs_and_prints_the_same_numbers(page):
    cases = [c for c in random_cases(120, SEED + 2)][:120]
    got = page.execute_script(
        "return arguments[0].map(function (c) { return [AtlasExplorer.code(c), AtlasExplorer.compute(c).error]; });",
        cases)
    try:  # the PyTorch call runs too where PyTorch is installed
        import torch
    except ImportError:
        torch = None
    ran = 0
    for case, (code, error) in zip(cases, got):
        want = expected(case)
        if error:
            assert ("ValueError: " + want["error"]) in code["nn"]
            continue
        ns: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code["nn"], ns)
        np.testing.assert_allclose(ns["y"], want["values"], atol=1e-9)
        if torch is not None:
            ts: dict = {}
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code["torch"], ts)
            np.testing.assert_allclose(ts["y"].numpy(), want["values"], atol=1e-9)
        ran += 1
    assert ran >= 60


# ------------------------------------------------------------ the page, as a reader uses it


def _marked(driver, cls: str) -> list[list[int]]:
    """[[plane, row, col], ...] of the grid cells carrying ``cls`` in the input or output stack."""
    return driver.execute_script(
        "var x = AtlasExplorer.page, cls = arguments[0], out = [];"
        "[x.inCells, x.outCells].forEach(function (planes, which) { planes.forEach(function (plane, p) {"
        "  plane.forEach(function (row, i) { row.forEach(function (cell, j) {"
        "    if (cell.classList.contains(cls)) out.push([which, p, i, j]); }); }); }); });"
        "return out;", cls)


def _position(driver) -> str:
    return driver.execute_script("return AtlasExplorer.page.positionText.textContent")


def test_click_an_output_then_step_with_the_keyboard(page, base_url):
    _open(page, base_url + "explorer/#v1&ex=edge-notes")
    case = _preset_case(page, "edge-notes")
    want = expected(case)
    cell = page.execute_script("return AtlasExplorer.page.outCells[0][1][2]")
    cell.click()
    assert _position(page).startswith("output [0, 1, 2]")
    # the window on the input: the padded grid has no padding here, so grid = input coordinates
    window = sorted([r, c] for _, _, r, c in (m for m in _marked(page, "atlas-xp__cell--window") if m[0] == 0))
    assert window == sorted(t[2:] for t in want["windows"][(1, 2)])
    value = want["values"][0, 1, 2]
    detail = page.execute_script("return AtlasExplorer.page.detail.textContent")
    assert "out[0, 1, 2] = " in detail and detail.rstrip().endswith(f"= {int(value)}".replace("-", "−")), detail
    # the dot product is written out tap by tap: x × w for each of the 9 taps
    assert detail.count("×") == 9
    assert page.switch_to.active_element == cell
    cell.send_keys(Keys.ARROW_RIGHT)
    assert _position(page).startswith("output [0, 1, 3]")
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert _position(page).startswith("output [0, 2, 3]")
    page.switch_to.active_element.send_keys(Keys.END)
    assert _position(page).startswith("output [0, 3, 3] · 16 of 16")
    page.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # wraps around
    assert _position(page).startswith("output [0, 0, 0] · 1 of 16")
    # the player's step button and the slider
    page.find_element(By.CSS_SELECTOR, "button[aria-label='Step forward']").click()
    assert _position(page).startswith("output [0, 0, 1]")
    slider = page.execute_script("return AtlasExplorer.page.scrub")
    slider.send_keys(Keys.ARROW_RIGHT)
    assert _position(page).startswith("output [0, 0, 2]")
    assert console_errors(page) == []


def test_click_an_input_cell_shows_every_output_it_feeds(page, base_url):
    _open(page, base_url + "explorer/#v1&ex=stride-2")
    st = page.execute_script("return AtlasExplorer.page.state")
    case = {k: st[k] for k in st if k not in ("vx", "vw", "vb", "preset", "seed", "pos")}
    want = expected(case)
    page.execute_script("return AtlasExplorer.page.inCells[0][2][2]").click()
    fed = sorted((r, c) for which, _, r, c in _marked(page, "atlas-xp__cell--fed") if which == 1)
    assert fed == sorted(yx for yx, taps in want["windows"].items() if any(t[2:] == [2, 2] for t in taps))
    assert len(fed) == 4  # stride 2, kernel 3: the middle of the first 2x2 windows
    text = page.execute_script("return AtlasExplorer.page.detail.textContent")
    assert "feeds 4 output positions" in text


def test_settings_round_trip_through_the_address_and_bad_ones_give_pythons_message(page, base_url):
    _open(page, base_url + "explorer/#v1&ex=edge-step")
    kernel_h = page.find_element(By.ID, "atlas-xp0-kernel0")
    kernel_h.send_keys(Keys.CONTROL, "a")
    kernel_h.send_keys("5")
    assert "k=5,3" in page.current_url
    shape = page.execute_script("return AtlasExplorer.page.result.out_shape")
    assert shape == [1, *shapes.conv2d_output_hw((6, 6), (5, 3))]
    url = page.current_url
    _open(page, url)
    assert page.find_element(By.ID, "atlas-xp0-kernel0").get_attribute("value") == "5"
    assert page.execute_script("return AtlasExplorer.page.result.out_shape") == shape
    values = page.execute_script("return AtlasExplorer.page.result.values")
    x = np.array(ex.STEP_IMAGE, dtype=float)[None, None]
    w = np.array(page.execute_script("return AtlasExplorer.page.state.w"), dtype=float)
    np.testing.assert_array_equal(np.array(values), nn.conv2d(x, w)[0])
    # 'same' with stride 2: the one-line message of the Python side
    Select(page.find_element(By.ID, "atlas-xp0-pad-mode")).select_by_value("same")
    stride = page.find_element(By.ID, "atlas-xp0-stride0")
    stride.send_keys(Keys.CONTROL, "a")
    stride.send_keys("2")
    with pytest.raises(ValueError) as exc:
        nn.conv2d(x, np.ones((1, 1, 5, 3)), stride=(2, 1), padding="same")
    message = page.find_element(By.ID, "atlas-xp0-message").text
    assert message == f"Error: {exc.value}"
    assert "pad=same" in page.current_url and "s=2,1" in page.current_url
    assert console_errors(page) == []


def test_keyboard_path_through_the_edge_example(page, base_url):
    """Slider -> Tab -> the window's first input cell (arrows pick and move it) -> Tab -> the output."""
    from selenium.webdriver.common.action_chains import ActionChains

    _open(page, base_url + "explorer/#v1&ex=edge-step")
    case = _preset_case(page, "edge-step")
    want = expected(case)
    keys = lambda *k: ActionChains(page).send_keys(*k).perform()  # noqa: E731  to the focused element
    page.execute_script("AtlasExplorer.page.scrub.focus()")
    keys(Keys.ARROW_RIGHT)  # the slider moves one output on
    assert _position(page).startswith("output [0, 0, 1]")
    keys(Keys.TAB)
    active = page.switch_to.active_element
    assert active == page.execute_script("return AtlasExplorer.page.inCells[0][0][1]")  # window of (0, 1)
    keys(Keys.ARROW_RIGHT)  # picks the cell
    keys(Keys.ARROW_RIGHT)  # moves the pick to column 2
    assert page.execute_script("return AtlasExplorer.page.selectedInput") == [0, 0, 2]
    fed = sorted((r, c) for which, _, r, c in _marked(page, "atlas-xp__cell--fed") if which == 1)
    assert fed == sorted(yx for yx, taps in want["windows"].items() if any(t[2:] == [0, 2] for t in taps))
    keys(Keys.TAB)  # back to the current output
    assert page.switch_to.active_element == page.execute_script("return AtlasExplorer.page.outCells[0][0][1]")
    keys(Keys.ARROW_DOWN)
    assert _position(page).startswith("output [0, 1, 1]")
    assert "at=5" in page.current_url
    assert console_errors(page) == []


def test_receptive_field_regions_match_generator_nn(page):
    rng = np.random.default_rng(SEED + 3)
    stacks = [random_stack(rng) for _ in range(150)]
    got = page.execute_script(
        "return arguments[0].map(function (s) { return AtlasExplorer.receptive(s.H, s.W, s.text, s.at[0], s.at[1]); });",
        stacks)
    failures, regions = [], 0
    for stack, r in zip(stacks, got):
        want = expected_region(stack)
        if "error" in want:
            if r["error"] != want["error"]:
                failures.append((stack["text"], r["error"], want["error"]))
            continue
        region = sorted([y, x] for y in r["rows"] for x in r["cols"]) if not r["error"] else r["error"]
        if [r.get("sizes"), r.get("at"), region] != [want["sizes"], want["at"], want["region"]]:
            failures.append((stack["H"], stack["W"], stack["text"], r, want))
        regions += 1
    assert not failures, f"{len(failures)} differ; first: {failures[:2]}"
    assert regions >= 80


def test_receptive_field_mode_on_the_page(page, base_url):
    _open(page, base_url + "explorer/#v1&ex=edge-step&rf=" + "conv%20kernel%3D3%0Aconv%20kernel%3D3" + "&rfat=1,2&rfhw=6,7")
    assert page.execute_script("return AtlasExplorer.page.rfBox.open")
    cells = lambda: sorted(  # noqa: E731
        [i, j] for i, row in enumerate(page.execute_script("return AtlasExplorer.page.rfBox.querySelector("
                                                           "'.atlas-xp__grid').children.length ? "
                                                           "Array.from(AtlasExplorer.page.rfBox.querySelector('.atlas-xp__grid')"
                                                           ".children).map(function (r) { return Array.from(r.children)"
                                                           ".map(function (c) { return c.classList.contains("
                                                           "'atlas-xp__cell--window'); }); }) : []"))
        for j, on in enumerate(row) if on)
    stack = {"H": 6, "W": 7, "layers": [{"kind": "conv", "kernel": 3, "stride": 1, "padding": 0, "dilation": 1}] * 2,
             "at": [1, 2]}
    assert cells() == expected_region(stack)["region"]
    assert len(cells()) == 25  # two 3x3 convolutions see 5x5
    page.execute_script("return AtlasExplorer.page.rfCells[0][0]").click()
    page.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert "rfat=0,1" in page.current_url
    assert cells() == expected_region(dict(stack, at=[0, 1]))["region"]
    assert console_errors(page) == []


def test_an_embedded_explorer_opens_its_example_and_leaves_the_address_alone(page, base_url):
    """As a Foundations page embeds it: <div class="atlas-xp" data-preset="...">."""
    _open(page, base_url + "explorer/#v1&ex=edge-step")
    before = page.current_url
    got = page.execute_script(
        "var d = document.createElement('div'); d.className = 'atlas-xp'; d.setAttribute('data-preset', 'max-pool-notes');"
        "document.querySelector('article').appendChild(d); AtlasExplorer.start();"
        "var x = AtlasExplorer.pages[AtlasExplorer.pages.length - 1]; x.step(1);"
        "return {shape: x.result.out_shape, values: x.result.values, ids: d.querySelectorAll('[id^=atlas-xp1-]').length};")
    y = nn.max_pool2d(np.array(ex.MAX_POOL_INPUT, dtype=float)[None, None], 2, 2)[0]
    assert got["shape"] == list(y.shape) and np.array_equal(np.array(got["values"]), y)
    assert got["ids"] > 10  # its own ids, apart from the first explorer's
    assert page.current_url == before
    # the receptive-field page's embed: a stack given on the element opens that mode
    rf = page.execute_script(
        "var d = document.createElement('div'); d.className = 'atlas-xp';"
        "d.setAttribute('data-preset', 'edge-step'); d.setAttribute('data-rf', 'conv kernel=3; conv kernel=3 stride=2');"
        "document.querySelector('article').appendChild(d); AtlasExplorer.start();"
        "var x = AtlasExplorer.pages[AtlasExplorer.pages.length - 1];"
        "return {open: x.rfBox.open, sizes: x.rfResult.sizes};")
    h = shapes.conv2d_output_hw(shapes.conv2d_output_hw(16, 3), 3, stride=2)
    assert rf == {"open": True, "sizes": [[16, 16], [14, 14], list(h)]}
    assert page.current_url == before
    assert console_errors(page) == []


def test_autoplay_only_where_asked_and_never_with_reduced_motion(page, base_url):
    _open(page, base_url + "explorer/#v1&ex=edge-step")
    add = ("var d = document.createElement('div'); d.className = 'atlas-xp'; d.setAttribute('data-preset', 'stride-2');"
           "d.setAttribute('data-autoplay', ''); document.querySelector('article').appendChild(d); AtlasExplorer.start();"
           "var x = AtlasExplorer.pages[AtlasExplorer.pages.length - 1]; var playing = !!x.timer; x.stop();"
           "return [playing, !!AtlasExplorer.page.timer];")
    assert page.execute_script(add) == [True, False]  # the embed that asks plays; the full page does not
    page.execute_cdp_cmd("Emulation.setEmulatedMedia",
                         {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    try:
        assert page.execute_script(add) == [False, False]
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
