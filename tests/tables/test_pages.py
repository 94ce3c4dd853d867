"""The Architectures pages: one per network with its downloads, users' specs included,
a spec-format page (for contributors) whose examples parse, bad specs that leave the
last build intact, and users' strings that render as themselves and never as markup."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
from dataclasses import replace
from html import unescape as html_unescape
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from mkdocs.utils import meta

from generator import pipeline, text
from generator.errors import UserError
from generator.pages import architectures
from generator.figures.library import page_context
from generator.render import TEMPLATES, page
from generator.settings import load_settings
from generator.specs import BUILTINS, load_builtin, load_spec, parse_spec, spec_id
from generator.tables import layer_table, to_csv, to_json

ROOT = Path(__file__).resolve().parents[2]
#: The spec of attacks and syntax characters the browser test also builds.
PAYLOADS = ROOT / "tests/browser/payload-spec/payloads.yaml"
#: A file name that is itself a payload (its page shows it as "built from ...").
PAYLOAD_FILE = '<img src=x onerror="window.__pwned=13"> $x$ `a`.yaml'

TINY = "name: Tiny net\ninput: [1, 8, 8]\nlayers:\n  - conv: {out: 2, kernel: 3}\n  - flatten\n" \
       "  - fc: {out: 3}\n"


def produce(root: Path) -> tuple[dict[str, bytes], list[tuple[str, str, str]]]:
    """The producer's files, and the (section, title, path) it announced for the nav."""
    ctx = pipeline.BuildContext(load_settings(root, out_dir="build/docs"))
    outs = {o.path: o.data for o in architectures.outputs(ctx)}
    return outs, [(section, title, path) for section, pages in ctx.nav.items()
                  for title, path in pages]


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "docs/specs").mkdir(parents=True)
    (root / "docs/specs/tiny.yaml").write_text(TINY)
    (root / "docs/specs/notes.txt").write_text("not a spec")
    return produce(root)


@pytest.fixture(scope="module")
def built(produced):
    return produced[0]


# ------------------------------------------------------------------ Markdown as the site renders it


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its tags (!ENV, !!python/name) that only MkDocs knows."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with the extensions and settings of mkdocs.yml."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = (item, None) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


class Element:
    def __init__(self, tag: str, attrs: dict, parent: "Element | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()


class _TreeBuilder(html.parser.HTMLParser):
    VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs), self.current)
        self.current.children.append(el)
        if tag not in self.VOID:
            self.current = el

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def render(page: bytes) -> tuple[dict, Element]:
    """A generated page's front matter, and its HTML as the site's Markdown renders it."""
    source, front = meta.get_data(page.decode("utf-8"))
    builder = _TreeBuilder()
    builder.feed(site_markdown().convert(source))
    return front, builder.root


def cell_texts(root: Element, tag: str) -> list[str]:
    return [el.text.strip() for el in root.iter() if el.tag == tag]


def no_markup_from_the_spec(root: Element) -> None:
    """No element or attribute the site's templates do not write: no script, no event
    handler, no link outside http(s) and the site."""
    for el in root.iter():
        assert el.tag not in ("script", "img", "svg", "iframe", "object", "style"), el.tag
        for name, value in el.attrs.items():
            assert not name.startswith("on"), (el.tag, name, value)
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), value
        if el.tag == "a":
            assert urlsplit(el.attrs.get("href") or "").scheme in ("", "http", "https"), el.attrs


# ------------------------------------------------------------------ pages and downloads


def test_every_network_gets_a_page_a_csv_and_a_json(built):
    for name in [*BUILTINS, "tiny"]:
        for ext in ("md", "csv", "json"):
            assert f"architectures/{name}.{ext}" in built
    vgg = layer_table(load_builtin("vgg16"))
    assert built["architectures/vgg16.json"].decode() == to_json(vgg)
    assert built["architectures/vgg16.csv"].decode() == to_csv(vgg)
    assert not any("notes" in path for path in built)


def test_nav_lists_builtins_in_order_then_user_specs_and_the_format_under_contributing(produced):
    built, nav = produced
    assert nav == [
        *[("Architectures", load_builtin(n).name, f"architectures/{n}.md") for n in BUILTINS],
        ("Architectures", "Tiny net", "architectures/tiny.md"),
        ("Contributing", "Writing a network spec", "contributing/spec-format.md"),
    ]
    assert nav[BUILTINS.index("vgg16")][1] == "VGG-16"
    assert "architectures/spec-format.md" not in built and "contributing/spec-format.md" in built
    assert not any("example" in path for path in built)  # the example is not a network page


def test_a_page_shows_totals_comparison_downloads_and_folded_blocks(built):
    page = built["architectures/resnet50.md"].decode()
    assert "| 3×224×224 | 25,557,032 | 4,089,184,256 (4.09 G) |" in page
    assert "| parameters | 25,557,032 | 25,557,032 | ✓ same |" in page
    assert "[CSV](resnet50.csv)" in page and "[JSON](resnet50.json)" in page
    assert page.count('??? abstract "layer') == 4  # one per stage: 3, 4, 6 and 3 blocks
    front, html = render(built["architectures/resnet50.md"])
    assert front == {"title": "ResNet-50", "tags": ["resnet50", "resnet", "flops", "macs"]}
    assert cell_texts(html, "h1") == ["ResNet-50¶"]
    summaries = cell_texts(html, "summary")
    assert len(summaries) == 4
    assert summaries[1] == ("layer2.0 – layer2.3 — 4 × bottleneck: 256×56×56 → "
                            "512×28×28, 1,219,584 parameters")
    block = [el for el in html.iter() if el.tag == "details"][1]
    cells = cell_texts(block, "td")
    row = cells.index("layer2.0")
    assert cells[row:row + 8] == ["layer2.0", "bottleneck block", "379,392", "372,506,624",
                                  "512×28×28", "3,913,728", "43", "projection shortcut"]
    row = cells.index("main: conv2")  # after its block, indented
    assert cells[row:row + 8] == ["main: conv2", "conv", "147,456", "115,605,504",
                                  "128×28×28", "100,352", "43", "f=3, s=2, p=1, no bias"]
    user = render(built["architectures/tiny.md"])[1]
    assert "This page is built from docs/specs/tiny.yaml: edit the file" in \
        " ".join(cell_texts(user, "p"))
    assert "docs/specs/tiny.yaml" in cell_texts(user, "code")


def test_shapes_are_labelled_with_the_one_layout_in_every_table_header(built):
    page = built["architectures/vgg16.md"].decode()
    headers = [line for line in page.splitlines() if line.lstrip().startswith("| layer | kind |")]
    assert len(headers) == 2  # layers, receptive field (VGG has no blocks)
    assert all(f"| output ({text.SHAPE_LAYOUT}) |" in h for h in headers)
    assert f"| input ({text.SHAPE_LAYOUT}) |" in page
    assert "| conv1&#95;1 | conv | 1,792 | 86,704,128 | 64×224×224 | 3,211,264 | f&#61;3, s&#61;1, p&#61;1 |" in page
    assert text.SHAPE_LAYOUT == "C×H×W"


def test_links_to_other_pages_are_relative_to_the_clean_urls(built):
    page = built["architectures/vgg16.md"].decode()
    assert "[Writing a network spec](../contributing/spec-format.md)" not in page  # built-in
    assert "[spec format](../contributing/spec-format.md)" in page
    user = built["architectures/tiny.md"].decode()
    assert "[Writing a network spec](../contributing/spec-format.md)" in user
    spec_format = built["contributing/spec-format.md"].decode()
    assert "| `vgg16` | [VGG&#45;16](../architectures/vgg16.md) |" in spec_format
    for path, data in built.items():
        if path.endswith(".md"):
            assert "generated/" not in data.decode(), path


def test_inception_shows_the_published_difference_and_its_block_open(built):
    page = built["architectures/inception3a.md"].decode()
    assert "| parameters | 159K | 164K (163,696) | ✗ differs |" in page
    assert page.count("???+ abstract") == 1
    assert cell_texts(render(built["architectures/inception3a.md"])[1], "summary")[0].startswith(
        "inception (3a) — concat block, 4 branches: 192×28×28 → 256×28×28")


def test_spec_format_page_documents_every_kind_and_its_examples_parse(built):
    page = built["contributing/spec-format.md"].decode()
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


def test_spec_format_page_shows_the_example_spec_and_its_computed_table(built):
    page = built["contributing/spec-format.md"].decode()
    example = architectures.EXAMPLE_SPEC.read_text(encoding="utf-8").strip()
    assert f"```yaml\n{example}\n```" in page
    table = layer_table(load_spec(architectures.EXAMPLE_SPEC))
    assert table.totals.params == 19_706  # 144 + 32 + 4,672 + 14,528 + 330
    cells = cell_texts(render(built["contributing/spec-format.md"])[1], "td")
    assert cells[cells.index("block2"):cells.index("block2") + 7] == [
        "block2", "basic block", "14,528", "2,809,856", "32×14×14", "56,448",
        "projection shortcut"]
    assert cells[cells.index("total"):cells.index("total") + 7] == [
        "total", "", "19,706", "6,535,744", "", "181,994", ""]


# ------------------------------------------------------------------ users' strings


@pytest.fixture(scope="module")
def payload_pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("payloads")
    (root / "docs/specs").mkdir(parents=True)
    shutil.copy(PAYLOADS, root / "docs/specs/payloads.yaml")
    shutil.copy(PAYLOADS, root / "docs/specs" / PAYLOAD_FILE)
    return produce(root)


def _check_tables(root: Element) -> None:
    """Every row of every table has as many cells as the table's header: no ``|`` from a
    name split a row."""
    for table in (el for el in root.iter() if el.tag == "table"):
        rows = [el for el in table.iter() if el.tag == "tr"]
        widths = {len([c for c in r.children if isinstance(c, Element)]) for r in rows}
        assert len(widths) == 1, widths


def test_users_strings_render_as_themselves_and_never_as_markup(payload_pages):
    built, nav = payload_pages
    net = load_spec(PAYLOADS)
    table = layer_table(net)
    assert ("Architectures", net.name, "architectures/payloads.md") in nav  # plain: escaped once, by the nav writer
    for page, file in [("payloads", "payloads.yaml"), (spec_id(Path(PAYLOAD_FILE)), PAYLOAD_FILE)]:
        front, html = render(built[f"architectures/{page}.md"])
        no_markup_from_the_spec(html)
        _check_tables(html)
        assert "<" not in front["title"] and html_unescape(front["title"]) == net.name
        assert cell_texts(html, "h1") == [net.name + "¶"]
        assert f"docs/specs/{file}" in cell_texts(html, "code")
        paragraphs = cell_texts(html, "p")
        for p in net.description.split("\n\n"):
            assert " ".join(p.split()) in paragraphs
        cells = cell_texts(html, "td")
        for row in table.walk():
            if row.name:
                assert (f"{row.path}: {row.name}" if row.path else row.name) in cells, row.name
        block = next(r for r in table.rows if r.children)
        assert any(s.startswith(f"{block.name} — basic block") for s in cell_texts(html, "summary"))
        source = net.published[0]
        links = [el for el in html.iter() if el.tag == "a" and el.text == source.source]
        assert [a.attrs["href"] for a in links] == [architectures.safe_url(source.url)]
        assert any(p.endswith(source.note) for p in paragraphs)


def test_csv_and_json_of_a_payload_spec_keep_the_strings_as_data(payload_pages):
    built, _ = payload_pages
    net = load_spec(PAYLOADS)
    data = built["architectures/payloads.json"].decode()
    assert not re.search(r"[<>&]", data)
    assert json.loads(data)["name"] == net.name
    assert [r["name"] for r in json.loads(data)["layers"]] == [r.name or None for r in layer_table(net).rows]
    rows = list(csv.DictReader(io.StringIO(built["architectures/payloads.csv"].decode())))
    names = {r.name: r.name for r in layer_table(net).walk()}
    shown = [r["name"] for r in rows]
    assert "'=HYPERLINK(\"https://example.org\",\"x\")" in shown and "'+1+1" in shown
    assert "'-2-2" in shown and "'@SUM(1)" in shown and "'- item" in shown
    assert all(n.lstrip("'") in names for n in shown)


@pytest.mark.parametrize("url", [
    "javascript:window.__pwned=1", "JavaScript:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox",
    "//example.org/x", "/architectures/vgg16/", "example.org", "https://", "http:/x", "ftp://x.org",
])
def test_only_http_urls_with_a_host_become_links(tmp_path, url):
    assert architectures.safe_url(url) is None
    spec = (PAYLOADS.read_text(encoding="utf-8"))
    net = load_spec(PAYLOADS)
    net = replace(net, published=(replace(net.published[0], url=url),))
    values = architectures._network_context(net, layer_table(net), None, "architectures/x.md")
    out = page("architectures/x.md", "pages/architectures/network.md.j2", **values,
               **page_context("architectures/x.md"), diagram=None)
    html = render(out.data)[1]
    no_markup_from_the_spec(html)
    assert not [el for el in html.iter() if el.tag == "a" and el.text == net.published[0].source]
    assert f"Source: {net.published[0].source}." in " ".join(cell_texts(html, "p"))
    assert spec


@pytest.mark.parametrize("url, href", [
    ("https://example.org/a b/(x)?q=<y>&r=\"z\"", "https://example.org/a%20b/%28x%29?q=%3Cy%3E&r=%22z%22"),
    ("HTTP://example.org/[1]\\`", "http://example.org/%5B1%5D%5C%60"),
    ("https://pytorch.org/vision/stable/models.html", "https://pytorch.org/vision/stable/models.html"),
])
def test_an_http_url_is_percent_encoded_so_no_markdown_or_html_survives(url, href):
    assert architectures.safe_url(url) == href


def test_templates_only_format():
    """No arithmetic inside {{ }} or {% %} of the architectures templates."""
    for path in [*(TEMPLATES / "pages/architectures").glob("*.j2"),
                 TEMPLATES / "pages/contributing/spec-format.md.j2"]:
        for expr in re.findall(r"{[{%](.*?)[%}]}", path.read_text(), re.S):
            code = re.sub(r"'[^']*'|\"[^\"]*\"", "", expr)
            assert not re.search(r"[-+*/%]|\bsum\b|\blength\b", code), (path.name, expr)


def test_a_user_spec_cannot_take_a_builtin_page(tmp_path):
    (tmp_path / "docs/specs").mkdir(parents=True)
    (tmp_path / "docs/specs/vgg16.yaml").write_text(TINY)
    with pytest.raises(UserError, match=r"docs/specs/vgg16.yaml: its id 'vgg16' is the "
                                        r"built-in network vgg16's, whose page has the same"):
        produce(tmp_path)


@pytest.mark.site  # runs the whole generator: not in the fast lane
def test_a_bad_user_spec_fails_the_build_and_leaves_the_last_pages(tmp_path):
    specs = tmp_path / "docs/specs"
    specs.mkdir(parents=True)
    (specs / "tiny.yaml").write_text(TINY)
    settings = load_settings(tmp_path, out_dir="build/docs")
    pipeline.build(settings, [architectures.outputs])
    out = settings.path("out_dir")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (specs / "tiny.yaml").write_text(TINY.replace("kernel: 3", "kernel: 9"))
    with pytest.raises(UserError, match=r"tiny.yaml: layer 1 \(conv\): kernel size 9 is "
                                        r"larger than padded input 8x8"):
        pipeline.build(settings, [architectures.outputs])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_user_specs_are_found_by_any_yaml_suffix_and_the_format_page_says_which(tmp_path):
    specs = tmp_path / "docs/specs"
    specs.mkdir(parents=True)
    for name in ("a.yml", "B.YAML", "c.Yml", ".hidden.yaml", "notes.txt"):
        (specs / name).write_text(TINY)
    built, nav = produce(tmp_path)
    assert [p for s, _, p in nav if s == "Architectures"][-3:] == [  # sorted by file name
        "architectures/b.md", "architectures/a.md", "architectures/c.md"]
    assert "hidden" not in " ".join(built)
    page = built["contributing/spec-format.md"].decode()
    assert "**every `*.yaml` or `*.yml` file\nin `docs/specs/`** (any case" in page
