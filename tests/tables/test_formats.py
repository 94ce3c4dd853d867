"""JSON, CSV and Markdown of a table, and the ``table`` command that prints them."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator import text
from generator.specs import load_builtin, parse_spec
from generator.tables import layer_table, to_csv, to_json, to_markdown
from generator.tables.formats import csv_cell, display_row, terminal_text, to_text

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "table", *args], cwd=cwd,
                          capture_output=True, text=True)


def _ints_only(d):
    """Every count in the JSON is an int (never a float or a formatted string)."""
    for key, value in d.items():
        if key in ("params", "weights", "biases", "trainable_params", "buffers", "macs",
                   "activations", "activation_bytes", "non_trainable_params"):
            assert type(value) is int, (key, value)
    for child in d.get("children", []):
        _ints_only(child)


def test_json_has_the_documented_shape_and_integer_counts():
    data = json.loads(to_json(layer_table(load_builtin("resnet18"))))
    assert data["model"] == "resnet18" and data["input_shape"] == [3, 224, 224]
    assert data["totals"]["params"] == 11_689_512
    _ints_only(data["totals"])
    first = data["layers"][0]
    assert {"name", "type", "output_shape", "params", "macs", "activations",
            "receptive_field"} <= set(first)
    assert first["output_shape"] == [64, 112, 112]
    assert first["receptive_field"] == {"size": [7, 7], "jump": [2, 2], "start": [-3, -3]}
    for layer in data["layers"]:
        _ints_only(layer)
    block = next(l for l in data["layers"] if l["name"] == "layer2.0")
    assert block["type"] == "basic" and [c["name"] for c in block["children"]][-4:] == [
        "downsample.0", "downsample.1", None, None]
    assert block["params"] == sum(c["params"] for c in block["children"])
    assert [p["quantity"] for p in data["published"]] == ["params", "macs"]
    assert all(p["matches"] for p in data["published"])


def test_csv_has_one_line_per_row_and_top_level_rows_sum_to_the_totals():
    table = layer_table(load_builtin("resnet50"))
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert len(rows) == len(list(table.walk()))
    top = [r for r in rows if r["depth"] == "0"]
    assert sum(int(r["params"]) for r in top) == 25_557_032
    assert sum(int(r["macs"]) for r in top) == table.totals.macs
    assert rows[0]["output_shape"] == "64x112x112" and rows[0]["rf_h"] == "7"


def test_markdown_lists_every_row_and_the_totals():
    text = to_markdown(layer_table(load_builtin("inception3a")))
    assert text.count("\n| 1.") == 14  # the 13 layers of the four branches + the concat
    assert "**163,696**" in text
    assert "published parameters: 159K" in text and "differs" in text


def test_cli_prints_each_format_and_json_equals_the_library():
    result = cli("vgg16", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == to_json(layer_table(load_builtin("vgg16")))
    assert json.loads(result.stdout)["totals"]["params"] == 138_357_544
    md = cli("lenet5")
    assert md.returncode == 0 and "**61,706**" in md.stdout
    rows = cli("lenet5", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("index,depth,path,name,type") and len(rows) == 13


def test_cli_input_override_and_user_spec_by_id(tmp_path):
    small = json.loads(cli("alexnet", "--format", "json", "--input", "3,127,127").stdout)
    assert small["input_shape"] == [3, 127, 127] and small["published"] == []
    (tmp_path / "docs/specs").mkdir(parents=True)
    (tmp_path / "docs/specs/My Tiny.yaml").write_text(
        "name: Tiny\ninput: [4]\nlayers: [{fc: {out: 2}}]\n")
    result = cli("my-tiny", "--root", str(tmp_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("1,0,,,linear,4 → 2,2,10,8,2")


@pytest.mark.parametrize("spec, args, expected", [
    ("name: x\ninput: [3, 32, 32]\nlayers:\n  - conv: {out: 6, kernel: 5\n", (),
     "mynet.yaml: line 5, column 1: not valid YAML: expected ',' or '}', but got the end of "
     "the file (while parsing a flow mapping at line 4, column 11)"),
    ("name: x\ninput: [3, 32, 32]\nlayers:\n  - relu\n  - relu\n"
     "  - conv: {name: conv2, out: 6, kernel: five}\n", (),
     "mynet.yaml: layer 3 'conv2' (conv): kernel must be a positive integer or a pair "
     "[height, width] of them, found the string 'five'"),
    ("name: x\ninput: [3, 5, 5]\nlayers:\n  - relu\n  - relu\n"
     "  - conv: {name: conv2, out: 6, kernel: 7}\n", ("--format", "json"),
     "mynet.yaml: layer 3 'conv2' (conv): kernel size 7 is larger than padded input 5x5"),
    ("name: x\ninput: [3, 32, 32]\nlayers: [relu]\n", ("--input", "3,x,2"),
     "--input: expected C,H,W (or one number of features) as positive integers, found '3,x,2'"),
])
def test_cli_reports_a_bad_spec_on_one_line_with_status_2(tmp_path, spec, args, expected):
    path = tmp_path / "mynet.yaml"
    path.write_text(spec)
    result = cli(str(path), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"error: {expected}\n"


def test_cli_names_an_unknown_network():
    result = cli("vgg17")
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown network 'vgg17': not a built-in (")


# ------------------------------------------------------------------ layout and users' strings

NAMES = ["x<y", "x\\<y", "a|b", "=1+1", "+1", "-1", "@SUM(A1)", "*em* $x$ [a](b)", "&lt; &amp;"]


def _named_net():
    layers = "".join(f"  - relu: {{name: {json.dumps(n)}}}\n" for n in NAMES)
    spec = f"name: \"<b>VGG-16 <modified></b> & co\"\ninput: [2, 3, 4]\nlayers:\n{layers}"
    return layer_table(parse_spec(spec, "names.yaml", "names"))


def test_shapes_state_their_layout_in_every_format():
    table = layer_table(load_builtin("lenet5"))
    data = json.loads(to_json(table))
    assert data["shape_layout"] == text.SHAPE_LAYOUT == "C×H×W"
    assert data["input_shape"] == [1, 32, 32] and data["layers"][0]["output_shape"] == [6, 28, 28]
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert (rows[0]["output_shape"], rows[0]["shape_layout"]) == ("6x28x28", "CxHxW")
    assert (rows[-1]["output_shape"], rows[-1]["shape_layout"]) == ("10", "features")
    md = to_markdown(table)
    assert "| output (C×H×W) |" in md and "Input 1×32×32; shapes are C×H×W" in md
    assert "| 1 | C1 | conv | f&#61;5, s&#61;1, p&#61;0 | 6×28×28 |" in md


def test_csv_cells_a_spreadsheet_would_run_get_an_apostrophe():
    rows = list(csv.DictReader(io.StringIO(to_csv(_named_net()))))
    assert [r["name"] for r in rows] == [
        "x<y", "x\\<y", "a|b", "'=1+1", "'+1", "'-1", "'@SUM(A1)", "*em* $x$ [a](b)", "&lt; &amp;"]
    assert [csv_cell(v) for v in ["\tx", "\rx", "x=1", "", -3, 0]] == ["'\tx", "'\rx", "x=1", "", -3, 0]
    assert all(r["start_h"] == "0" for r in rows)  # numbers, even negative ones, stay numbers
    neg = list(csv.DictReader(io.StringIO(to_csv(layer_table(load_builtin("resnet18"))))))
    assert neg[0]["start_h"] == "-3"


def test_json_keeps_names_exact_and_never_holds_raw_angle_brackets_or_ampersands():
    out = to_json(_named_net())
    assert not any(c in out for c in "<>&")
    assert "\\u003cb\\u003eVGG-16 \\u003cmodified\\u003e\\u003c/b\\u003e \\u0026 co" in out
    data = json.loads(out)
    assert data["name"] == "<b>VGG-16 <modified></b> & co"
    assert [r["name"] for r in data["layers"]] == NAMES


def test_markdown_table_escapes_names_so_they_print_as_themselves():
    md = to_markdown(_named_net())
    assert md.startswith("# &#60;b&#62;VGG&#45;16 &#60;modified&#62;&#60;/b&#62; &#38; co (names)\n")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "relu" in line]
    assert len(rows) == len(NAMES) and all(line.count("|") == 13 for line in rows)
    assert rows[0].startswith("| 1 | x&#60;y | relu |")  # no stray backslash: x\<y showed one
    assert rows[1].startswith("| 2 | x&#92;&#60;y | relu |")
    assert "\\" not in md


def test_details_are_escaped_where_they_are_displayed():
    """display_row escapes a row's details as it does names (text.markdown): a detail that
    quotes a spec's string (a placeholder's op) stays text; a computed one reads the same."""
    spec = ("name: n\ninput: [3, 8, 8]\nlayers:\n  - conv: {out: 4, kernel: 3, padding: 1}\n"
            "  - placeholder: {op: \"<b>|x*</b>\"}\n  - dropout: {p: 0.5}\n")
    table = layer_table(parse_spec(spec, "n.yaml", "n"))
    shown = [display_row(r) for r in table.walk()]
    assert [d["details"] for d in shown] == [
        "f&#61;3, s&#61;1, p&#61;1",
        "placeholder for &#60;b&#62;&#124;x&#42;&#60;/b&#62; &#40;not imported&#41;",
        "p&#61;0&#46;5"]
    assert shown[1]["operation"] == "placeholder " + shown[1]["details"]
    md = to_markdown(table)
    assert "<b>" not in md and f"| placeholder | {shown[1]['details']} | 4×8×8 |" in md


# ------------------------------------------------------------------ text, for a terminal


def _columns(line: str) -> str:
    """``line`` as a terminal lays it out, one character a column (a wide one is doubled)."""
    return "".join(c * 2 if unicodedata.east_asian_width(c) in "WF" else c for c in line)


def _text_cells(out: str) -> tuple[list[list[str]], list[str]]:
    """The cells of ``to_text``'s table, cut at the columns its rule line marks (a cell out
    of its column shows), and the lines after the table."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    end = lines.index(lines[rule], rule + 1)
    body = [_columns(line) for line in lines[rule - 1:rule] + lines[rule + 1:end + 2] if
            line != lines[rule]]
    for line in body:  # nothing but spaces between the columns, nothing after the last
        assert all(line[b:c].strip() == "" for (_, b), (c, _) in zip(spans, spans[1:])), line
        assert len(line) <= spans[-1][1], line
    cells = [[_wide_once(line[a:b].strip()) for a, b in spans] for line in body]
    return cells, lines[end + 3:]


def _wide_once(cell: str) -> str:
    """The inverse of :func:`_columns`."""
    return re.sub(r"(.)\1", lambda m: m[1] if _columns(m[1]) == m[0] else m[0], cell)


def test_text_prints_the_markdown_rows_and_totals_plainly_in_aligned_columns():
    """Cell for cell, what ``to_markdown`` escapes for Markdown, unescaped."""
    table = layer_table(load_builtin("resnet18"))
    md = to_markdown(table).splitlines()
    md_rows = [[html.unescape(c).strip("*") for c in line[2:-2].split(" | ")]
               for line in md if line.startswith("| ")]
    out = to_text(table)
    cells, summary = _text_cells(out)
    assert cells == [md_rows[0]] + md_rows[1:]  # header, every row, the totals
    assert len(cells) == len(list(table.walk())) + 2
    assert cells[-1][:6] == ["", "total", "", "", "", "11,689,512"]
    assert summary == [html.unescape(line) for line in md[md.index("") + 1:][-len(summary):]]
    assert out.startswith("ResNet-18 (resnet18)\n====================\n\nInput 3×224×224; shapes "
                          "are C×H×W")
    assert "&#" not in out and "|" not in out


def test_text_shows_characters_a_terminal_would_act_on_as_escapes():
    assert terminal_text("a\x1b[2J\x07\x9b\u2028\u202eb\U0001F600é") == \
        "a\\x1b[2J\\x07\\x9b\\u2028\\u202eb\U0001F600é"
    # a spec may hold bidirectional controls; a table built in code may hold anything
    spec = ('name: "net\\u2067x"\ninput: [1, 4, 4]\n'
            'layers:\n  - relu: {name: "a\\u202eb"}\n  - relu: {name: 漢字}\n')
    table = layer_table(parse_spec(spec, "t.yaml", "t"))
    first = dataclasses.replace(table.rows[0], name="x\x1b]0;pwned\x07\x1b[31m")
    out = to_text(dataclasses.replace(table, rows=(first, *table.rows[1:])))
    assert not any(unicodedata.category(c) == "Cc" for c in out.replace("\n", ""))
    assert out.startswith("net\\u2067x (t)\n")
    assert "x\\x1b]0;pwned\\x07\\x1b[31m" in out
    cells, _ = _text_cells(out)
    assert [row[1] for row in cells[1:-1]] == ["x\\x1b]0;pwned\\x07\\x1b[31m", "漢字"]
    assert _text_cells(to_text(table))[0][1][1] == "a\\u202eb"
