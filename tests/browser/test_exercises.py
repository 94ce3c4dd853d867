"""Exercises: exercises.js against the Python code, and its pages driven by keyboard.

One formula, two languages: the formula functions of ``AtlasExercises.F`` must
agree with :mod:`generator.nn` and :mod:`generator.tables` on a few hundred
seeded random inputs, and so must the answer of every question of a few hundred
seeded question sets (recomputed by ``exercise_oracle`` from the numbers the
question drew). No slip a question names may equal its answer or another slip.

Most tests load a harness page from ``file://`` (the script, the data script the
generator writes and the markup of a block and of the practice page), so they run
whether or not the site has the exercises wired in; the last ones check the built
site's practice page and Foundations pages, and skip while those are not there.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from generator.nn import avg_pool2d, max_pool2d, shapes, tensorflow
from generator.pages import exercises, site_map
from generator.tables import conv2d_macs, conv2d_params, receptive
from tests.browser import exercise_oracle
from tests.browser.conftest import console_errors
from tests.conftest import ROOT

pytestmark = pytest.mark.site

SEED = 20251129
SETS = 300
PRACTICE_KINDS = " ".join(exercises.PRACTICE_KINDS)


def _wait(driver, script: str, timeout: float = 10, *args):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script, *args)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    """A folder with formulas.js and exercises.js, its CSS, the generated data script and
    two pages."""
    folder = tmp_path_factory.mktemp("exercises")
    shutil.copy(ROOT / "docs/javascripts/formulas.js", folder / "formulas.js")
    shutil.copy(ROOT / "docs/javascripts/exercises.js", folder / "exercises.js")
    shutil.copy(ROOT / "docs/stylesheets/exercises.css", folder / "exercises.css")
    data = next(o for o in exercises.outputs(None) if o.path == exercises.DATA_JS)
    (folder / "data.js").write_bytes(data.data)
    block = exercises.block_values("output-size", kinds=("output-size", "tf-same"))
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="exercises.css"><title>harness</title></head><body>
<script src="data.js"></script>
<article class="md-content__inner md-typeset"><h1>Harness</h1><p>intro</p>
<div class="atlas-ex" id="practice" data-mode="practice" data-kinds="{PRACTICE_KINDS}"
     data-count="{exercises.PRACTICE_COUNT}" data-seed=""></div>
</article>
<script src="formulas.js"></script><script src="exercises.js"></script></body></html>"""
    (folder / "practice.html").write_text(page, encoding="utf-8")
    (folder / "block.html").write_text(page.replace(
        'id="practice" data-mode="practice"', 'id="block" data-topic="{}"'.format(block["topic"])).replace(
        f'data-kinds="{PRACTICE_KINDS}"', f'data-kinds="{block["kinds"]}"').replace(
        f'data-count="{exercises.PRACTICE_COUNT}"', f'data-count="{block["count"]}"'), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def page(browser, harness):
    """The harness practice page from file://, with AtlasExercises loaded."""
    browser.get((harness / "practice.html").as_uri() + "?seed=4242")
    _wait(browser, "return !!(window.AtlasExercises && document.querySelector('.atlas-ex__q'))")
    console_errors(browser)
    return browser


# ------------------------------------------------------------ declared once


def test_kinds_topics_and_slips_are_declared_once(page):
    js_kinds = page.execute_script("return AtlasExercises.KINDS")
    assert sorted(js_kinds) == sorted(exercises.KIND_IDS)
    # every Foundations page has its exercises, of kinds that exist
    assert set(exercises.TOPIC_KINDS) == {p.slug for p in site_map.FOUNDATIONS.pages}
    for kinds in exercises.TOPIC_KINDS.values():
        assert kinds and set(kinds) <= set(exercises.KIND_IDS)
    # every slip a kind names has its words, and every worded slip belongs to a kind
    named = {s for k in exercises.KINDS for s in k.slips}
    assert named == set(exercises.SLIPS)
    assert {k.topic for k in exercises.KINDS} <= {p.slug for p in site_map.FOUNDATIONS.pages}


def test_block_markdown(page):
    md = exercises.block("padding")
    assert md.startswith("\n## Check yourself\n")
    assert "<script" not in md  # data.js comes through page-assets.js, relative to itself
    assert ('<div class="atlas-ex" data-topic="padding" data-kinds="output-size tf-same" '
            'data-count="3" data-seed="" markdown="0">') in md
    assert "[Practice](../practice.md)" in md
    vgg = exercises.network_block("vgg16", "architectures/vgg16.md")
    assert 'data-kinds="named-layer"' in vgg and 'data-network="vgg16"' in vgg
    assert exercises.network_block("inception3a", "architectures/inception3a.md") == ""
    with pytest.raises(ValueError, match="unknown question kinds"):
        exercises.block_values("padding", kinds=("no-such-kind",))
    # a network's block asks only about that network's layers
    networks = page.execute_script(
        "var A = AtlasExercises, out = [];"
        "for (var i = 1; i <= 60; i++) out.push(A.generate('named-layer', i, {network: 'vgg16'}).params.network);"
        "return out;")
    assert set(networks) == {"vgg16"}


# ------------------------------------------------------------ the formulas


def _formula_cases(rnd: random.Random, count: int) -> dict:
    conv, pool, tconv, tf, params, rf, grids = [], [], [], [], [], [], []
    for _ in range(count):
        conv.append([rnd.randint(1, 40), rnd.randint(1, 9), rnd.randint(1, 4), rnd.randint(0, 4),
                     rnd.randint(1, 3)])
        pool.append([rnd.randint(1, 30), rnd.randint(1, 6), rnd.randint(1, 4), rnd.randint(0, 3),
                     rnd.randint(1, 2), rnd.random() < 0.5])
        tconv.append([rnd.randint(1, 20), rnd.randint(1, 6), rnd.randint(1, 4), rnd.randint(0, 3),
                      rnd.randint(0, 3), rnd.randint(1, 3)])
        tf.append([rnd.randint(1, 70), rnd.randint(1, 9), rnd.randint(1, 4), rnd.randint(1, 3)])
        groups = rnd.choice([1, 1, 2, 4])
        params.append([groups * rnd.randint(1, 40), groups * rnd.randint(1, 40), rnd.randint(1, 7),
                       rnd.randint(1, 7), groups, rnd.random() < 0.5, rnd.randint(1, 30), rnd.randint(1, 30)])
        rf.append([{"k": rnd.randint(1, 7), "s": rnd.randint(1, 3), "d": rnd.randint(1, 3)}
                   for _ in range(rnd.randint(1, 6))])
        n, k = rnd.randint(2, 7), rnd.randint(1, 3)
        grids.append([[[rnd.randint(-9, 9) for _ in range(n)] for _ in range(n)], min(k, n),
                      rnd.randint(1, 3), rnd.choice(["max", "avg"])])
    return {"conv": conv, "pool": pool, "tconv": tconv, "tf": tf, "params": params, "rf": rf,
            "grids": grids}


_RUN_FORMULAS = """
var F = AtlasExercises.F, c = arguments[0];
return {
  conv: c.conv.map(function (a) { return [F.fits(a[0], a[1], 2 * a[3], a[4]), F.convOut(a[0], a[1], a[2], 2 * a[3], a[4])]; }),
  pool: c.pool.map(function (a) { return F.poolOut(a[0], a[1], a[2], a[3], a[4], a[5]); }),
  tconv: c.tconv.map(function (a) { return F.transposedOut(a[0], a[1], a[2], a[3], a[4], a[5]); }),
  tf: c.tf.map(function (a) { return F.tfSame(a[0], a[1], a[2], a[3]); }),
  params: c.params.map(function (a) {
    return [F.convParams(a[0], a[1], a[2], a[3], a[4], a[5]), F.convMacs(a[0], a[1], a[2], a[3], a[6], a[7], a[4])]; }),
  rf: c.rf.map(function (a) { return F.receptive(a); }),
  grids: c.grids.map(function (a) { return F.pool2d(a[0], a[1], a[2], a[3]); }),
};"""


def test_formulas_match_python(page):
    cases = _formula_cases(random.Random(SEED), 400)
    got = page.execute_script(_RUN_FORMULAS, cases)
    checked = {"conv": 0, "pool": 0, "tconv": 0}
    for (n, k, s, p, d), (fits, out) in zip(cases["conv"], got["conv"]):
        try:
            want = shapes.conv_output_size(n, k, s, p, d)
        except ValueError as exc:
            assert "larger than padded input" in str(exc) and not fits, (n, k, s, p, d)
            continue
        assert fits and out == want, (n, k, s, p, d, out, want)
        checked["conv"] += 1
    for (n, k, s, p, d, ceil), out in zip(cases["pool"], got["pool"]):
        try:
            want = shapes.pool_output_size(n, k, s, p, d, ceil)
        except ValueError:
            continue
        assert out == want, (n, k, s, p, d, ceil, out, want)
        checked["pool"] += 1
    for (n, k, s, p, op, d), out in zip(cases["tconv"], got["tconv"]):
        try:
            want = shapes.conv_transpose_output_size(n, k, s, p, op, d)
        except ValueError:
            continue
        assert out == want, (n, k, s, p, op, d, out, want)
        checked["tconv"] += 1
    assert min(checked.values()) > 100, checked  # enough valid cases of each
    for (n, k, s, d), out in zip(cases["tf"], got["tf"]):
        assert out == list(tensorflow.conv_output_size(n, k, s, d, "SAME")), (n, k, s, d)
    for (cin, cout, kh, kw, g, bias, oh, ow), (pw, macs) in zip(cases["params"], got["params"]):
        assert pw == list(conv2d_params(cin, cout, (kh, kw), g, bias))
        assert macs == conv2d_macs(cin, cout, (kh, kw), (oh, ow), g)
    for layers, out in zip(cases["rf"], got["rf"]):
        field = receptive.INPUT
        for l in layers:
            field = receptive.window(field, (l["k"],) * 2, (l["s"],) * 2, (0, 0), (l["d"],) * 2)
        assert out == {"size": field[0].size, "jump": field[0].jump}, layers
    for (grid, k, s, op), out in zip(cases["grids"], got["grids"]):
        x = np.asarray(grid, dtype=float)[None, None]  # (H, W) -> (1, 1, H, W)
        want = (max_pool2d if op == "max" else avg_pool2d)(x, k, s)[0, 0]
        np.testing.assert_allclose(np.asarray(out, dtype=float), want, rtol=0, atol=1e-12)


# ------------------------------------------------------------ the questions


_RUN_SETS = """
var A = AtlasExercises, seeds = arguments[0], out = [];
seeds.forEach(function (seed) {
  A.KINDS.forEach(function (kind, k) {
    var q = A.generate(kind, A.mix(seed, k));
    out.push({kind: kind, seed: seed, params: q.params, answer: q.answer, format: q.format,
      text: q.answerText, tol: q.tol === undefined ? null : q.tol, solution: q.solution,
      slips: q.slips.map(function (s) { return {id: s.id, value: s.value, text: A.answerText(q, s.value),
        tol: s.tol === undefined ? null : s.tol}; }),
      right: A.check(q, q.answerText).status,
      slipChecks: q.slips.map(function (s) { var r = A.check(q, A.answerText(q, s.value)); return [r.status, r.slip, r.message]; }),
      garbage: A.check(q, "seven").status});
  });
});
return out;"""


def _flat(v) -> list[float]:
    return [float(x) for x in np.ravel(np.asarray(v, dtype=float))]


def _same(a, b, tol) -> bool:
    fa, fb = _flat(a), _flat(b)
    return len(fa) == len(fb) and all(abs(x - y) <= (tol if tol is not None else 1e-9 * max(1, abs(y)))
                                      for x, y in zip(fa, fb))


def test_question_sets_match_python_and_no_slip_equals_the_answer(page):
    seeds = list(range(SEED, SEED + SETS))
    got = page.execute_script(_RUN_SETS, seeds)
    assert len(got) == SETS * len(exercises.KIND_IDS)
    declared = {k.id: set(k.slips) for k in exercises.KINDS}
    seen_slips = {k: set() for k in declared}
    failures = []
    for q in got:
        want = exercise_oracle.answer(q["kind"], q["params"])
        if not _same(q["answer"], want, None):
            failures.append((q["kind"], q["seed"], q["params"], q["answer"], want))
        values = [(None, q["answer"], q["tol"])] + [(s["id"], s["value"], s["tol"] if s["tol"] is not None else q["tol"])
                                                    for s in q["slips"]]
        for i, (id_a, a, tol_a) in enumerate(values):
            for id_b, b, tol_b in values[i + 1:]:
                assert not (_same(a, b, tol_b) or _same(b, a, tol_a)), (q["kind"], q["seed"], id_a, id_b, a, b)
        ids = [s["id"] for s in q["slips"]]
        assert len(ids) == len(set(ids)) and set(ids) <= declared[q["kind"]], (q["kind"], ids)
        seen_slips[q["kind"]] |= set(ids)
        assert q["right"] == "right", q
        assert q["garbage"] == "unreadable", q
        for s, (status, slip_id, message) in zip(q["slips"], q["slipChecks"]):
            assert (status, slip_id) == ("slip", s["id"]), (q["kind"], s, status, slip_id)
            assert message == f"Not quite: {exercises.SLIPS[s['id']]}.", message
        # the worked solution ends on the answer (grids list every value instead)
        if q["format"] in ("int", "shape"):
            assert q["text"] in " ".join(q["solution"]), q
    assert not failures, f"{len(failures)} answers differ; first: {failures[:3]}"
    # the sample reaches every slip every kind declares
    missing = {k: declared[k] - seen_slips[k] for k in declared if declared[k] - seen_slips[k]}
    assert not missing, missing


def test_every_named_layer_matches_its_table(page):
    layers = page.execute_script(
        "var F = AtlasExercises.F; return window.ATLAS_EXERCISES.layers.map(function (L) {"
        "  var p = L.kind === 'conv' ? F.convParams(L.input[0], L.out, L.kernel[0], L.kernel[1], 1, L.bias)"
        "    : F.linearParams(L.input[0], L.out, L.bias);"
        "  return {network: L.network, index: L.index, params: p}; });")
    assert len(layers) > 40
    assert {l["network"] for l in layers} >= {"lenet5", "alexnet", "vgg16", "resnet50"}
    for layer in layers:
        row = exercise_oracle._rows(layer["network"])[layer["index"]]
        assert layer["params"] == [row.weights, row.biases], layer


def test_typed_forms_are_read(page):
    forms = page.execute_script("""
var A = AtlasExercises;
var shapeQ = {format: 'shape', answer: [16, 15, 15], slips: [], how: ''};
var intQ = {format: 'int', answer: 1234567, slips: [], how: ''};
var gridQ = {format: 'grid', answer: [[1, 2.25], [3, 4.333333333]], slips: [], tol: 0.006, how: ''};
return [
  ['16x15x15', '16 × 15 × 15', '16,15,15', '(16, 15, 15)', '16×15'].map(function (t) { return A.check(shapeQ, t).status; }),
  ['1,234,567', '1 234 567', '1234567', '1.234.567', '1,2345,67'].map(function (t) { return A.check(intQ, t).status; }),
  ['1 2.25; 3 4.33', '1, 2.25\\n3, 4.333', '1 2.3; 3 4.33'].map(function (t) { return A.check(gridQ, t).status; }),
];""")
    assert forms == [["right", "right", "right", "right", "wrong"],
                     ["right", "right", "right", "unreadable", "unreadable"],
                     ["right", "right", "wrong"]]


# ------------------------------------------------------------ the pages, by keyboard


def _prompts(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.atlas-ex__q .atlas-ex__prompt, .atlas-ex__sheet-q .atlas-ex__prompt'))"
        ".map(function (p) { return p.textContent.replace(/^\\d+\\. /, ''); });")


def _questions(driver) -> list[dict]:
    """The questions on the page as AtlasExercises regenerates them from the page's seed."""
    return driver.execute_script(
        "var A = AtlasExercises, root = document.querySelector('.atlas-ex[data-mode=practice]');"
        "var seed = Number(root.getAttribute('data-seed-used'));"
        "var kinds = root.getAttribute('data-kinds').split(' ');"
        "return A.makeSet(seed, A.shuffled(kinds, seed), Number(root.getAttribute('data-count')))"
        ".map(function (q) { return {prompt: q.prompt, text: q.answerText, kind: q.kind, "
        "  slips: q.slips.map(function (s) { return [s.id, A.answerText(q, s.value)]; })}; });")


def test_practice_page_by_keyboard_from_file_url(page, harness):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page.get((harness / "practice.html").as_uri() + "?seed=4242")
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    assert page.execute_script("return document.querySelector('.atlas-ex').getAttribute('data-seed-used')") == "4242"
    questions = _questions(page)
    assert len(questions) == exercises.PRACTICE_COUNT
    assert sorted({q["kind"] for q in questions}) == sorted(exercises.PRACTICE_KINDS)
    assert _prompts(page) == [q["prompt"] for q in questions]
    inputs = page.find_elements(By.CSS_SELECTOR, ".atlas-ex__input")
    feedback = page.find_elements(By.CSS_SELECTOR, ".atlas-ex__feedback")
    score = page.find_element(By.CSS_SELECTOR, ".atlas-ex__score")
    assert score.text == f"Score: 0 of {len(questions)} right"
    # a right answer, typed and entered
    inputs[0].send_keys(questions[0]["text"], Keys.ENTER)
    assert feedback[0].get_attribute("data-status") == "right"
    assert score.text == f"Score: 1 of {len(questions)} right (1 try)"
    # a known slip is named
    slip_id, slip_text = questions[1]["slips"][0]
    inputs[1].send_keys(slip_text, Keys.ENTER)
    assert feedback[1].get_attribute("data-slip") == slip_id
    assert feedback[1].text == f"Not quite: {exercises.SLIPS[slip_id]}."
    assert score.text == f"Score: 1 of {len(questions)} right (2 tries)"
    # Tab from the answer reaches Check, then Show solution; Enter opens it
    inputs[1].send_keys(Keys.TAB)
    assert page.switch_to.active_element.text == "Check"
    page.switch_to.active_element.send_keys(Keys.TAB)
    active = page.switch_to.active_element
    assert active.text == "Show solution" and active.get_attribute("aria-expanded") == "false"
    active.send_keys(Keys.ENTER)
    solution = page.find_elements(By.CSS_SELECTOR, ".atlas-ex__solution")[1]
    assert solution.is_displayed() and f"Answer: {questions[1]['text']}" in solution.text
    # a right answer after the solution was shown does not score
    inputs[1].clear()
    inputs[1].send_keys(questions[1]["text"], Keys.ENTER)
    assert feedback[1].get_attribute("data-status") == "right"
    assert score.text == f"Score: 1 of {len(questions)} right (2 tries)"
    assert console_errors(page) == []


def test_same_seed_same_set_and_worksheet(page, harness):
    from selenium.webdriver.common.by import By

    url = (harness / "practice.html").as_uri()
    page.get(url + "?seed=777")
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    first = _prompts(page)
    questions = _questions(page)
    page.get(url + "?seed=778")
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    assert _prompts(page) != first
    # New set: another seed, written into the address
    page.find_element(By.XPATH, "//button[text()='New set']").click()
    seed = page.execute_script("return document.querySelector('.atlas-ex').getAttribute('data-seed-used')")
    assert seed != "778" and page.current_url.endswith(f"?seed={seed}")
    page.get(url + "?seed=777")
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    assert _prompts(page) == first
    link = page.find_element(By.CSS_SELECTOR, "[data-role=worksheet]")
    assert link.get_attribute("href").endswith("?seed=777&sheet=1")
    link.click()
    _wait(page, "return document.querySelectorAll('.atlas-ex__sheet-q').length")
    assert _prompts(page) == first
    assert page.execute_script("return document.querySelectorAll('.atlas-ex__input').length") == 0
    key = page.find_element(By.CSS_SELECTOR, ".atlas-ex__key")
    answers = [e.text for e in key.find_elements(By.CSS_SELECTOR, ".atlas-ex__key-a .atlas-ex__answer")]
    assert answers == [q["text"] for q in questions]
    assert page.execute_script("return getComputedStyle(arguments[0]).breakBefore", key) == "page"
    # the page's own text is hidden in the worksheet; the title stays
    assert not page.find_element(By.XPATH, "//article/p[text()='intro']").is_displayed()
    assert page.find_element(By.TAG_NAME, "h1").is_displayed()
    assert console_errors(page) == []


def test_check_yourself_block(page, harness):
    from selenium.webdriver.common.by import By

    page.get((harness / "block.html").as_uri())
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    kinds = [e.get_attribute("data-kind") for e in page.find_elements(By.CSS_SELECTOR, ".atlas-ex__q")]
    assert kinds == ["output-size", "tf-same", "output-size"]
    before = _prompts(page)
    page.find_element(By.XPATH, "//button[text()='New questions']").click()
    assert _prompts(page) != before and len(_prompts(page)) == 3
    page.get((harness / "block.html").as_uri() + "?seed=99")
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    fixed = _prompts(page)
    page.refresh()
    _wait(page, "return document.querySelectorAll('.atlas-ex__q').length")
    assert _prompts(page) == fixed
    assert console_errors(page) == []


# ------------------------------------------------------------ the built site


def _load_or_skip(driver, url: str, selector: str):
    driver.get(url)
    found = driver.execute_script("return document.querySelectorAll(arguments[0]).length", selector)
    if not found:
        pytest.skip(f"{url} has no {selector}: the exercises are not wired into the site yet")


def test_site_practice_page(browser, base_url):
    _load_or_skip(browser, base_url + "practice/?seed=31", ".atlas-ex[data-mode=practice]")
    _wait(browser, "return document.querySelectorAll('.atlas-ex__q').length")
    assert len(_prompts(browser)) == exercises.PRACTICE_COUNT
    assert browser.execute_script("return window.ATLAS_EXERCISES.layers.length") > 40
    # at phone width nothing sticks out sideways
    size = browser.get_window_size()
    try:
        browser.set_window_size(390, 900)
        browser.refresh()
        _wait(browser, "return document.querySelectorAll('.atlas-ex__q').length")
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        browser.set_window_size(size["width"], size["height"])
    assert console_errors(browser) == []


def test_site_every_foundations_page_has_its_block(browser, base_url):
    _load_or_skip(browser, base_url + "foundations/padding/", ".atlas-ex[data-topic]")
    for topic in site_map.FOUNDATIONS.pages:
        browser.get(base_url + f"foundations/{topic.slug}/?seed=5")
        _wait(browser, "return document.querySelectorAll('.atlas-ex__q').length")
        kinds = browser.execute_script(
            "return Array.from(document.querySelectorAll('.atlas-ex__q')).map(function (q) {"
            " return q.getAttribute('data-kind'); });")
        want = exercises.TOPIC_KINDS[topic.slug]
        assert kinds == [want[i % len(want)] for i in range(exercises.BLOCK_COUNT)], topic.slug
    assert console_errors(browser) == []
