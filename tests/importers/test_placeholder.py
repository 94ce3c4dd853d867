"""The layer kind ``placeholder`` (what ``import --skip-unsupported`` writes for an op it
cannot map): the identity at no cost in every stage, and a network page that says so —
a warning at the top listing each one, and its row "placeholder for <op> (not
imported)" — with the op's name, a user's string, escaped everywhere."""

from __future__ import annotations

import numpy as np

from generator.figures.library import page_context
from generator.pages import architectures
from generator.render import page
from generator.specs import parse_spec
from generator.tables import layer_table
from generator.tables.forward import forward
from tests.tables.test_pages import cell_texts, no_markup_from_the_spec, render

OP = "<img src=x onerror=alert(1)>|*Ein_sum*"
SPEC = f"""name: imported
input: [3, 8, 8]
layers:
  - conv: {{name: c, out: 4, kernel: 3}}
  - placeholder: {{name: "[odd](javascript:x)", op: {OP!r}}}
  - placeholder
  - relu
"""


def test_a_placeholder_is_the_identity_at_no_cost():
    net = parse_spec(SPEC.replace("'", '"'), "imported.yaml", "imported")
    table = layer_table(net)
    rows = list(table.walk())
    assert [(r.type, r.output_shape, r.params, r.macs, r.buffers) for r in rows[1:3]] == [
        ("placeholder", (4, 6, 6), 0, 0, 0), ("placeholder", (4, 6, 6), 0, 0, 0)]
    assert rows[1].details == f"placeholder for {OP} (not imported)"
    assert rows[2].details == "placeholder (not imported)"
    assert rows[1].receptive_field == rows[0].receptive_field == rows[2].receptive_field
    x = np.random.default_rng(1).standard_normal((2, 3, 8, 8)).astype(np.float32)
    y, shapes = forward(net, x)
    assert [s for _, s in shapes] == [r.output_shape for r in rows]
    # the table without the placeholders is the same network: same output, same counts
    plain = parse_spec("name: p\ninput: [3, 8, 8]\nlayers:\n"
                       "  - conv: {name: c, out: 4, kernel: 3}\n  - relu\n", "p.yaml", "p")
    np.testing.assert_array_equal(y, forward(plain, x)[0])  # same weights: same draws
    theirs = layer_table(plain).totals
    assert (table.totals.params, table.totals.macs, table.totals.buffers) == (
        theirs.params, theirs.macs, theirs.buffers) == (3 * 4 * 9 + 4, 4 * 6 * 6 * 27, 0)
    assert table.totals.activations == theirs.activations + 2 * 4 * 6 * 6


def test_the_network_page_warns_and_marks_each_placeholder():
    net = parse_spec(SPEC.replace("'", '"'), "imported.yaml", "imported")
    values = architectures._network_context(net, layer_table(net), "docs/specs/imported.yaml",
                                            "architectures/imported.md")
    out = page("architectures/imported.md", "pages/architectures/network.md.j2", **values,
               **page_context("architectures/imported.md"), diagram=None)
    html = render(out.data)[1]
    no_markup_from_the_spec(html)
    warning = [el for el in html.iter()
               if el.tag == "div" and "warning" in (el.attrs.get("class") or "")]
    assert len(warning) == 1
    items = [el.text for el in warning[0].iter() if el.tag == "li"]
    assert items == [f"[odd](javascript:x): placeholder for {OP} (not imported)",
                     "layer 3: placeholder (not imported)"]
    assert "The import could not map 2 operation(s)" in warning[0].text
    cells = cell_texts(html, "td")
    assert f"placeholder for {OP} (not imported)" in cells
    assert "placeholder (not imported)" in cells


def test_a_page_without_placeholders_has_no_warning():
    net = parse_spec("name: n\ninput: [3, 8, 8]\nlayers: [relu]\n", "n.yaml", "n")
    values = architectures._network_context(net, layer_table(net), None, "architectures/n.md")
    assert values["placeholders"] == []
    out = page("architectures/n.md", "pages/architectures/network.md.j2", **values,
               **page_context("architectures/n.md"), diagram=None)
    assert "Placeholders" not in out.data.decode()


def test_the_diagram_draws_a_placeholder_as_a_dashed_box_of_its_own():
    import re

    from tests.figures.test_architecture import _spec_facts, svg_of

    params, f = _spec_facts(SPEC.replace("'", '"'), "imported")
    nodes = f["tree"]["items"]
    assert [n["chain"] for n in nodes] == [["input"], ["conv"], ["placeholder"],
                                          ["placeholder"], ["relu"], ["output"]]
    svg = svg_of(params, f)
    dashed = {m.group(1) for m in re.finditer(
        r'<g id="box-(\w+)">\s*<path [^>]*style="[^"]*stroke-dasharray', svg)}
    assert dashed == {nodes[2]["id"], nodes[3]["id"]}
