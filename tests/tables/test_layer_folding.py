"""Network pages fold runs of blocks (a ResNet stage, a repeat) into one row that opens
on every row inside; parameters and MACs come right after the name and kind; CSV and
JSON give each row's graph inputs (``sources``)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest

from generator import text
from generator import pipeline
from generator.figures import catalog, library
from generator.figures.library import FigureRefs
from generator.pages import architectures
from generator.settings import load_settings
from generator.specs import load_builtin
from generator.tables import layer_table, to_csv, to_json

from .test_pages import Element, _check_tables, _TreeBuilder, site_markdown


def _html(net_id: str):
    """The page of built-in ``net_id`` as the producer writes it, and as the site renders it."""
    # the page's own figures only (its diagram, its chart), not the whole catalog
    wanted = {f.id for f in catalog.FIGURES if net_id in f.id}
    refs = FigureRefs((r.ref.id, r.ref) for r in library.resolve(
        [f for f in catalog.FIGURES if f.id in wanted]))
    with tempfile.TemporaryDirectory() as root, pytest.MonkeyPatch.context() as mp:
        mp.setattr(architectures, "BUILTINS", (net_id,))
        (Path(root) / "docs/specs").mkdir(parents=True)
        ctx = pipeline.BuildContext(load_settings(Path(root), out_dir="build/docs"), refs)
        md = {o.path: o.data for o in architectures.outputs(ctx)}[
            f"architectures/{net_id}.md"].decode()
    body = md.split("---\n", 2)[2]
    tree = _TreeBuilder()
    tree.feed(site_markdown().convert(body))
    return layer_table(load_builtin(net_id)), md, tree.root


def _rows_outside_closed_details(el: Element, hidden: bool = False) -> int:
    n = 0
    for c in el.children:
        if isinstance(c, Element):
            if c.tag == "tr" and not hidden:
                n += 1
            n += _rows_outside_closed_details(c, hidden or (c.tag == "details"
                                                            and "open" not in c.attrs))
    return n


def _folded(el: Element) -> bool:
    """True when ``el`` is inside a closed ``<details>``."""
    while el.parent is not None:
        el = el.parent
        if el.tag == "details" and "open" not in el.attrs:
            return True
    return False


def _data_rows(el: Element) -> list[list[str]]:
    out = []
    for tr in (e for e in el.iter() if e.tag == "tr"):
        cells = [c for c in tr.children if isinstance(c, Element) and c.tag == "td"]
        if cells:
            out.append([" ".join(c.text.split()) for c in cells])
    return out


@pytest.fixture(scope="module")
def resnet152():
    return _html("resnet152")


def test_resnet152_shows_a_few_dozen_rows_and_folds_the_rest(resnet152):
    table, md, root = resnet152
    _check_tables(root)
    # the layer table: header, input, stem (4), four stages, pool, flatten, fc, total (14);
    # the receptive field: header + 11
    shown = [d for d in root.iter() if d.tag == "div" and "atlas-layers" in
             d.attrs.get("class", "") and not _folded(d)]
    assert [_rows_outside_closed_details(d) for d in shown] == [14, 12]
    assert _rows_outside_closed_details(root) < 100  # 731 table rows before folding
    details = [e for e in root.iter() if e.tag == "details"]
    assert len(details) == 4 and not any("open" in d.attrs for d in details)
    summaries = [" ".join(next(c for c in d.children if isinstance(c, Element)
                               and c.tag == "summary").text.split()) for d in details]
    assert summaries[2] == ("layer3.0 – layer3.35 — 36 × bottleneck: 512×28×28 → "
                            "1024×14×14, 40,613,888 parameters")
    # every row of the table is on the page: the stem and head rows in the layer table,
    # every block and every layer inside one in its stage's group
    inside = [r for d in details for r in _data_rows(d) if r[0] not in ("stage",)]
    blocks = [r for r in table.rows if r.children]
    assert len(inside) == sum(len(list(b.walk())) for b in blocks) == 565 - 7
    for d, n in zip(details, (3, 8, 36, 3)):
        assert sum(1 for r in _data_rows(d) if r[1] == "bottleneck block") == n
    stage = next(r for r in _data_rows(details[2]) if r[0] == "stage")
    assert stage[2] == f"{sum(r.params for r in table.rows if r.name.startswith('layer3.')):,}"


def test_parameters_and_macs_come_right_after_the_name_and_kind(resnet152):
    table, md, root = resnet152
    header = next(line for line in md.splitlines() if line.startswith("| layer |"))
    assert header.split(" | ")[:4] == ["| layer", "kind", "parameters", "MACs"]
    conv1 = table.rows[0]
    assert (f"| conv1 | conv | {conv1.params:,} | {conv1.macs:,} | "
            f"{text.shape(conv1.output_shape)} | {conv1.activations:,} | {text.markdown(conv1.details)} |") in md
    layer3 = [r for r in table.rows if r.name.startswith("layer3.")]
    stage = (f"| **layer3&#46;0 – layer3&#46;35** | 36 × bottleneck | **40,613,888** | "
             f"**{sum(r.macs for r in layer3):,}** | 1024×14×14 | "
             f"{sum(r.activations for r in layer3):,} |  |")
    assert stage in md
    assert md.count('<div class="atlas-layers" markdown>') == 2 + 4  # layers, RF, 4 groups


def test_a_stage_is_a_run_of_blocks_keeping_the_shape_of_its_first():
    runs = architectures.stages(layer_table(load_builtin("resnet18")).rows)
    assert [[r.name for r in run] for run in runs] == [
        ["conv1"], ["bn1"], [""], ["maxpool"], ["layer1.0", "layer1.1"],
        ["layer2.0", "layer2.1"], ["layer3.0", "layer3.1"], ["layer4.0", "layer4.1"],
        ["avgpool"], [""], ["fc"]]
    mobile = architectures.stages(layer_table(load_builtin("mobilenet-v2")).rows)
    assert [[r.name for r in run] for run in mobile if run[0].children] == [
        ["features.2", "features.3"], ["features.4", "features.5-6"],
        ["features.7", "features.8-10"], ["features.11", "features.12-13"],
        ["features.14", "features.15-16"], ["features.17"]]


def test_inception_keeps_its_lone_block_open():
    _, md, root = _html("inception3a")
    assert md.count("???+ abstract") == 1 and md.count("??? abstract") == 0


# ------------------------------------------------------------------ CSV and JSON


def test_csv_and_json_give_each_rows_graph_inputs():
    table = layer_table(load_builtin("unet"))
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert list(rows[0])[-1] == "sources"
    by_name = {r["name"]: r for r in rows}
    assert by_name["skip4"]["sources"] == "7 10"  # crop the encoder's map to the upsampled one
    assert by_name["up4"]["sources"] == ""        # the row before
    assert [r["sources"] for r in rows if r["type"] == "concat"] == ["11 10", "15 14", "19 18",
                                                                     "23 22"]
    data = json.loads(to_json(table))
    layers = {l["name"]: l for l in data["layers"]}
    assert layers["skip4"]["sources"] == ["7", "10"] and layers["up4"]["sources"] == []
    mobile = json.loads(to_json(layer_table(load_builtin("mobilenet-v2"))))
    block = next(l for l in mobile["layers"] if l["name"] == "features.3")
    add = block["children"][0]["children"][-1]
    assert add["type"] == "add" and add["sources"] == ["10.1.0", "10.1.1"]
    # the other columns are as before: sources is the only one added, last
    assert list(rows[0])[:-1] == ["index", "depth", "path", "name", "type", "details",
                                  "output_shape", "params", "weights", "biases",
                                  "trainable_params", "buffers", "macs", "activations",
                                  "activation_bytes", "rf_h", "rf_w", "jump_h", "jump_w",
                                  "start_h", "start_w", "shape_layout"]
