"""Network diagrams: the shape on every edge is the producing row's, repeated blocks are
folded "× N" with the counts of the spec, skips are drawn as such, and a user's spec
gets its diagram like the built-ins."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import matplotlib
import pytest

from generator import text
from generator.figures import architecture, build, library, style
from generator.figures.architecture_graph import ENTRY, MAX_BOXES, RANGE, boxes, diagram, walk
from generator.figures.catalog import Figure
from generator.specs import BUILTINS, load_builtin, parse_spec
from generator.specs import layers as spec_layers
from generator.tables import layer_table

RESIDUAL = """name: Two residual blocks
input: [3, 16, 16]
layers:
  - conv: {name: stem, out: 8, kernel: 3, padding: 1}
  - basic: {name: same, out: 8}
  - basic: {name: down, out: 16, stride: 2}
  - global_pool
  - flatten
  - fc: {name: head, out: 4}
"""

#: Every network drawn: built-ins by id, plus graph-form and user-style specs.
_FACTS: dict[str, dict] = {}


def facts(network: str) -> dict:
    if network not in _FACTS:
        _FACTS[network] = library.resolve_one(
            Figure(architecture.figure_id(network), "architecture", {"network": network})).facts
    return _FACTS[network]


def svg_of(params: dict, f: dict) -> str:
    with matplotlib.rc_context(style.RC):
        return architecture.render(params, {}, f)["svg"].decode()


def drawn_texts(svg: str) -> list[str]:
    """The strings drawn in an SVG (matplotlib writes each text's string as a comment
    before its glyph paths)."""
    return [t.strip() for t in re.findall(r"<!-- (.*?) -->", svg)]


def _spec_facts(spec: str, id_: str = "mynet") -> tuple[dict, dict]:
    """A user's spec resolved as the figure stage resolves it: (parameters, facts)."""
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "docs" / "specs"
        folder.mkdir(parents=True)
        (folder / f"{id_}.yaml").write_text(spec)
        fig, = architecture.spec_figures(folder)
        return fig.params, library.resolve_one(fig).facts


# ------------------------------------------------------------------ edges


def _expected(rows: dict, out: dict) -> str:
    if "src" in out:
        first = text.shape(rows[out["src"]].output_shape)
        if "src_last" in out:
            return first + RANGE + text.shape(rows[out["src_last"]].output_shape)
        return first
    first = rows[out["input_of"]].input_shape if out["input_of"] in rows else None
    if "input_of_last" in out:
        return text.shape(first) + RANGE + text.shape(rows[out["input_of_last"]].input_shape)
    return text.shape(first)


@pytest.mark.parametrize("network", BUILTINS)
def test_every_edge_label_is_the_shape_of_the_row_that_produces_it(network):
    table = layer_table(load_builtin(network))
    rows = {r.index: r for r in table.walk()}
    tree = facts(network)["tree"]
    n = 0
    for kind, item in walk(tree):
        out = item["out"]
        if kind == "node" and item["kind"] == "output":
            continue
        if kind == "node" and item["kind"] == "input":
            assert out["label"] == text.shape(table.input_shape)
            continue
        assert out["label"] == _expected(rows, out), (network, item.get("id"), out)
        n += 1
    # the last edge carries the network's output
    last = tree["items"][-2]["out"]
    assert rows[last["src"]].output_shape == table.rows[-1].output_shape
    assert n > 0


def test_edge_labels_are_drawn_in_the_svg_as_the_tables_write_shapes():
    f = facts("resnet50")
    drawn = drawn_texts(svg_of({"network": "resnet50"}, f))
    labels = [item["out"]["label"] for k, item in walk(f["tree"])
              if item["out"]["label"] and k != "skip"]
    for label in labels:
        assert label in drawn, label
    assert "2048×7×7" in drawn and "7×7×2048" not in " ".join(drawn)
    assert f"ResNet-50: 3×224×224 \u2192 1000 ({text.SHAPE_LAYOUT})" in drawn


# ------------------------------------------------------------------ folds


def _folds(tree) -> list[tuple[str, int]]:
    return [(g["title"], g["count"]) for k, g in walk(tree) if k in ("group", "compact")]


def test_resnet152_is_folded_by_stage_with_its_block_counts():
    f = facts("resnet152")
    assert _folds(f["tree"]) == [
        ("layer1.0", 1), ("layer1.1 \u2013 layer1.2", 2), ("layer2.0", 1),
        ("layer2.1 \u2013 layer2.7", 7), ("layer3.0", 1), ("layer3.1 \u2013 layer3.35", 35),
        ("layer4.0", 1), ("layer4.1 \u2013 layer4.2", 2)]
    # each structure is drawn once: the projection block and the identity block
    drawn = [g["title"] for k, g in walk(f["tree"]) if k == "group"]
    assert drawn == ["layer1.0", "layer1.1 \u2013 layer1.2"]
    top = [i["t"] for i in f["tree"]["items"]]
    assert len(top) == 15  # input, stem (2), 8 folds, pool, flatten, fc, output
    svg = svg_of({"network": "resnet152"}, f)
    texts = drawn_texts(svg)
    for title, count in _folds(f["tree"]):
        if count > 1:
            assert any(t.startswith(f"\u00d7 {count}") for t in texts), count
    assert 'id="fold-2-' in svg  # the drawn frame of layer1.1 – layer1.2
    height = float(re.search(r'height="([\d.]+)pt"', svg).group(1))
    assert height < 20 * 72  # a 152-layer network in less than 20 inches


def test_fold_counts_equal_the_repeat_counts_of_the_spec():
    net = load_builtin("mobilenet-v2")
    repeats = [l for l in net.layers if isinstance(l, spec_layers.Repeat)]
    f = facts("mobilenet-v2")
    counts = [c for _, c in _folds(f["tree"])]
    assert counts == [len(r.instances) for r in repeats]
    assert sorted(c for c in counts if c > 1) == [2, 2, 2, 3]
    dense = [c for _, c in _folds(facts("densenet121")["tree"])]
    assert dense == [6, 1, 12, 1, 24, 1, 16]  # dense layers per block, and the transitions


def test_densenet_block_labels_give_the_first_and_last_instance():
    f = facts("densenet121")
    group = next(g for k, g in walk(f["tree"]) if k == "group")
    assert group["count"] == 6
    skip = group["body"]["skips"][0]
    assert skip["from"] == ENTRY  # each dense layer concatenates its input
    assert skip["out"]["label"] == "64×56×56 \u2026 224×56×56"


# ------------------------------------------------------------------ skips and merges


def test_a_residual_spec_draws_its_skip_and_its_projection_shortcut():
    params, f = _spec_facts(RESIDUAL)
    kinds = [k for k, _ in walk(f["tree"])]
    assert kinds.count("skip") == 1 and kinds.count("par") == 1
    svg = svg_of(params, f)
    skips = re.findall(r'<g id="(skip-[^"]+)"', svg)
    assert len(skips) == 1 and skips[0].startswith("skip-entry-") and skips[0].endswith("-identity")
    assert re.search(r'<g id="shortcut-p\d+"', svg)
    texts = drawn_texts(svg)
    assert "add \u00b7 relu" in texts  # the merge node, with the activation after it
    assert "8×16×16" in texts and "16×8×8" in texts


def test_unet_skips_carry_the_encoder_shapes():
    f = facts("unet")
    skips = [s for k, s in walk(f["tree"]) if k == "skip"]
    encoder = sorted({s["out"]["label"] for s in skips})
    assert {"64×568×568", "128×280×280", "256×136×136", "512×64×64"} <= set(encoder)
    assert len(skips) == 8  # four crops take the encoder, four concats the upsampled map


def test_shape_keeping_layers_join_the_box_before_them_by_the_kind_registry():
    spec = """name: Chain
input: [3, 8, 8]
layers:
  - conv: {out: 4, kernel: 3, padding: 1}
  - layernorm
  - gelu
  - scale
  - conv: {out: 4, kernel: 3, padding: 1}
  - maxpool: {kernel: 2}
"""
    _, f = _spec_facts(spec, "chain")
    nodes = [i for i in f["tree"]["items"]]
    assert [n["chain"] for n in nodes] == [["input"], ["conv", "layernorm", "gelu", "scale"],
                                          ["conv"], ["maxpool"], ["output"]]
    assert not hasattr(architecture, "ELEMENTWISE")


# ------------------------------------------------------------------ users' specs


def test_a_users_spec_gets_its_diagram_like_the_built_ins(tmp_path):
    folder = tmp_path / "docs" / "specs"
    folder.mkdir(parents=True)
    (folder / "My_Net.v2.yaml").write_text(RESIDUAL.replace("Two residual", "$x$ <b>"))
    figs = architecture.spec_figures(folder)
    fid = figs[0].id
    assert fid == architecture.figure_id("my_net.v2") and re.fullmatch(
        r"architecture-my-net-v2-[0-9a-f]{8}", fid)
    # the parameters (which the gallery prints) hold no text of the user's
    assert figs[0].params == {"spec": fid, "sha256": hashlib.sha256(
        (folder / "My_Net.v2.yaml").read_bytes()).hexdigest()}
    resolved = library.resolve(figs)
    files = build.render_all(resolved, tmp_path / "cache", jobs=1).files
    svg = files[f"figures/{fid}.svg"].decode()
    assert "$x$ &lt;b&gt; blocks: 3×16×16 \u2192 4 (C×H×W)" in drawn_texts(svg)
    assert re.search(r'<g id="skip-entry-', svg)
    # the caption is Markdown: the user's name in it prints as itself
    assert resolved[0].ref.caption.startswith(text.markdown("$x$ <b> blocks") +
                                              ": 3×16×16 \u2192 4;")
    assert "<b>" not in resolved[0].ref.caption


def test_the_page_of_a_network_names_the_diagram_the_stage_draws():
    assert architecture.figure_id("resnet50") == "architecture-resnet50"
    for network in BUILTINS:  # the catalog's id of each built-in's diagram
        assert any(f.id == architecture.figure_id(network) for f in library.catalog.FIGURES)


def test_a_very_long_network_ends_in_one_box_for_the_rest():
    convs = "\n".join(f"  - conv: {{name: c{i}, out: {4 + i % 3}, kernel: 1}}" for i in range(260))
    spec = f"name: Long\ninput: [3, 8, 8]\nlayers:\n{convs}\n  - flatten\n"
    table = layer_table(parse_spec(spec, "docs/specs/long.yaml", "long"))
    tree = diagram(table)
    assert boxes(tree) == MAX_BOXES + 1  # and the output box
    more = tree["items"][-2]
    # input, 260 convs and flatten: the input and 198 convs fit in the other 199 boxes
    assert more["id"] == "more" and more["chain"] == ["\u2026 63 more"]
    assert more["out"]["label"] == text.shape(table.rows[-1].output_shape) == "320"


def test_a_wrong_users_spec_is_one_line_naming_the_file_as_the_page_would(tmp_path):
    from generator.errors import UserError
    from generator.specs import load_spec

    folder = tmp_path / "specs"
    folder.mkdir()
    bad = folder / "bad.yaml"
    bad.write_text("name: Bad\ninput: [1, 4, 4]\nlayers:\n  - conv: {name: c, out: 2, kernel: 7}\n")
    fig, = architecture.spec_figures(folder)
    with pytest.raises(UserError) as drawn:
        library.resolve_one(fig)
    with pytest.raises(UserError) as paged:
        layer_table(load_spec(bad))
    assert str(drawn.value) == str(paged.value) and "\n" not in str(drawn.value)
    assert "layer 1 'c' (conv)" in str(drawn.value)
