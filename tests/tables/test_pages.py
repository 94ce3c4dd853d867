"""The Architectures pages: one per network with its downloads, users' specs included,
a spec-format page whose examples parse, and bad specs that leave the last build intact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.errors import UserError
from generator.pages import architectures
from generator.render import TEMPLATES
from generator.settings import load_settings
from generator.specs import BUILTINS, load_builtin, parse_spec
from generator.tables import layer_table, to_csv, to_json

TINY = "name: Tiny net\ninput: [1, 8, 8]\nlayers:\n  - conv: {out: 2, kernel: 3}\n  - flatten\n" \
       "  - fc: {out: 3}\n"


def outputs_for(root: Path) -> dict[str, bytes]:
    outs = pipeline.collect(load_settings(root), [architectures.outputs])
    return {o.path: o.data for o in outs}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "docs/specs").mkdir(parents=True)
    (root / "docs/specs/tiny.yaml").write_text(TINY)
    (root / "docs/specs/notes.txt").write_text("not a spec")
    return outputs_for(root)


def test_every_network_gets_a_page_a_csv_and_a_json(built):
    for name in [*BUILTINS, "tiny"]:
        for ext in ("md", "csv", "json"):
            assert f"architectures/{name}.{ext}" in built
    vgg = layer_table(load_builtin("vgg16"))
    assert built["architectures/vgg16.json"].decode() == to_json(vgg)
    assert built["architectures/vgg16.csv"].decode() == to_csv(vgg)
    assert not any("notes" in path for path in built)


def test_nav_lists_builtins_in_order_then_user_specs_then_the_format(built):
    nav = json.loads(built[pipeline.NAV_FILE])["Architectures"]
    paths = [p for _, p in nav]
    assert paths == [f"architectures/{n}.md" for n in [*BUILTINS, "tiny", "spec-format"]]
    assert nav[BUILTINS.index("vgg16")][0] == "VGG-16"
    assert nav[len(BUILTINS)][0] == "Tiny net"


def test_a_page_shows_totals_comparison_downloads_and_folded_blocks(built):
    page = built["architectures/resnet50.md"].decode()
    assert "| 3×224×224 | 25,557,032 | 4,089,184,256 (4.09 G) |" in page
    assert "| parameters | 25,557,032 | 25,557,032 | ✓ same |" in page
    assert "[CSV](resnet50.csv)" in page and "[JSON](resnet50.json)" in page
    assert page.count('??? abstract "layer') == 16
    assert '??? abstract "layer2.0 — bottleneck block, projection shortcut: 256×56×56 → ' \
           '512×28×28, 379,392 parameters"' in page
    assert "    | main: conv2 | conv f=3, s=2, p=1, no bias | 128×28×28 |" in page
    user = built["architectures/tiny.md"].decode()
    assert "This page is built from `docs/specs/tiny.yaml`" in user


def test_inception_shows_the_published_difference_and_its_block_open(built):
    page = built["architectures/inception3a.md"].decode()
    assert "| parameters | 159K | 164K (163,696) | ✗ differs |" in page
    assert '???+ abstract "inception (3a)' in page


def test_spec_format_page_documents_every_kind_and_its_examples_parse(built):
    page = built["architectures/spec-format.md"].decode()
    for kind in ("conv", "conv_transpose", "maxpool", "avgpool", "adaptive_avgpool",
                 "linear", "relu", "tanh", "batchnorm", "dropout", "flatten", "softmax",
                 "residual", "basic", "bottleneck", "concat"):
        assert f"### `{kind}`" in page
    assert "| `kernel` | int or [h, w] | required | Filter height and width. |" in page
    blocks = re.findall(r"```yaml\n(.*?)```", page, re.S)
    assert len(blocks) == 3
    for text in blocks:
        data = yaml.safe_load(text)
        spec = {"name": "example", "input": [3, 32, 32], "layers": ["relu"], **data}
        layer_table(parse_spec(yaml.safe_dump(spec), "example.yaml", "example"))
    errors = re.search(r"```text\n(.*?)```", page, re.S).group(1).splitlines()
    assert len(errors) == 5 and all(e.startswith("docs/specs/mynet.yaml: ") for e in errors)


def test_templates_only_format():
    """No arithmetic inside {{ }} or {% %} of the architectures templates."""
    for path in (TEMPLATES / "pages/architectures").glob("*.j2"):
        for expr in re.findall(r"{[{%](.*?)[%}]}", path.read_text(), re.S):
            code = re.sub(r"'[^']*'|\"[^\"]*\"", "", expr)
            assert not re.search(r"[-+*/%]|\bsum\b|\blength\b", code), (path.name, expr)


def test_a_user_spec_cannot_take_a_builtin_page(tmp_path):
    (tmp_path / "docs/specs").mkdir(parents=True)
    (tmp_path / "docs/specs/vgg16.yaml").write_text(TINY)
    with pytest.raises(UserError, match=r"docs/specs/vgg16.yaml: its page would be "
                                        r"architectures/vgg16.md, which the built-in vgg16"):
        outputs_for(tmp_path)


def test_a_bad_user_spec_fails_the_build_and_leaves_the_last_pages(tmp_path):
    specs = tmp_path / "docs/specs"
    specs.mkdir(parents=True)
    (specs / "tiny.yaml").write_text(TINY)
    settings = load_settings(tmp_path)
    pipeline.build(settings, [architectures.outputs])
    out = settings.path("out_dir")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (specs / "tiny.yaml").write_text(TINY.replace("kernel: 3", "kernel: 9"))
    with pytest.raises(UserError, match=r"tiny.yaml: layer 1 \(conv\): kernel size 9 is "
                                        r"larger than padded input 8x8"):
        pipeline.build(settings, [architectures.outputs])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
