"""Hostile or careless specs: exit 2, one line naming the file and the place, in bounded time.

Each case here was an internal error (exit 1), a hang, or silently accepted before the
spec format bounded its input (issue 11). The CLI runs in this process (``main``) where
that is enough, and as a subprocess where the way Python writes to stderr matters.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.errors import UserError
from generator.specs import load_spec, parse_spec
from tests.safety.helpers import within

ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: x\ninput: [3, 8, 8]\n"


def cli_error(path: Path, *args: str, capsys, seconds: float = 10) -> str:
    """Run ``table PATH ARGS`` in this process; its one-line message, after checking exit 2."""
    capsys.readouterr()
    with within(seconds):
        code = main(["table", str(path), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err[len("error: "):].rstrip("\n")


def spec_error(tmp_path, text: str, capsys, name: str = "bad.yaml", **kw) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    message = cli_error(path, capsys=capsys, **kw)
    assert str(path.name) in message.split(": ")[0], message
    return message


# ------------------------------------------------------------------ YAML structure


@pytest.mark.parametrize("layers, expected", [
    ("  - {conv: {out: 8, kernel: 3}}: relu\n",
     "line 4, column 5: a key must be a plain value (text or a number), found a mapping"),
    ("  - [conv, relu]: relu\n",
     "line 4, column 5: a key must be a plain value (text or a number), found a list"),
])
def test_a_mapping_or_list_used_as_a_key(tmp_path, capsys, layers, expected):
    assert spec_error(tmp_path, HEAD + "layers:\n" + layers, capsys).endswith(expected)


def test_a_self_referencing_alias(tmp_path, capsys):
    message = spec_error(tmp_path, HEAD + "layers: &a\n  - residual: {main: *a}\n", capsys)
    assert message.endswith("line 4, column 22: the alias *a refers to a value that "
                            "contains it")


def test_an_alias_bomb_is_stopped_early(tmp_path, capsys):
    levels = ["&a [relu, relu, relu, relu, relu, relu, relu, relu, relu]"]
    for i in range(1, 9):
        prev, this = chr(96 + i), chr(97 + i)
        levels.append(f"&{this} [" + ", ".join(["{residual: {main: *%s}}" % prev] * 9) + "]")
    layers = "".join(f"  - residual: {{main: {level}}}\n" for level in levels)
    start = time.perf_counter()
    message = spec_error(tmp_path, HEAD + "layers:\n" + layers, capsys)
    assert time.perf_counter() - start < 5
    assert "aliases expand to more than 1,000,000 values" in message, message


def test_an_alias_bomb_outside_the_layers_is_stopped_too(tmp_path, capsys):
    levels = ["&a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 8):
        levels.append(f"&{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    text = "name: x\ninput: [1]\nlayers: [relu]\ndescription: [" + ", ".join(levels) + "]\n"
    message = spec_error(tmp_path, text, capsys)
    assert "aliases expand to more than 1,000,000 values" in message, message


@pytest.mark.parametrize("depth", [60, 300, 5000])
def test_deep_nesting(tmp_path, capsys, depth):
    message = spec_error(tmp_path, HEAD + "layers: " + "[" * depth + "]" * depth + "\n",
                         capsys)
    assert message.endswith(": line 3, column 58: more than 50 levels of nesting"), message


def test_deeply_nested_blocks(tmp_path, capsys):
    text = HEAD + "layers: " + "[{residual: {main: " * 300 + "[relu]" + "}}]" * 300 + "\n"
    assert "levels of nesting" in spec_error(tmp_path, text, capsys)


@pytest.mark.parametrize("number", ["1" * 5000, "0b" + "1" * 20000, "-" + "9" * 101])
def test_an_integer_with_thousands_of_digits(tmp_path, capsys, number):
    text = HEAD + f"layers:\n  - conv: {{out: {number}, kernel: 3}}\n"
    message = spec_error(tmp_path, text, capsys)
    assert message.endswith(f"line 4, column 17: an integer of more than 100 digits"), message


# ------------------------------------------------------------------ text


@pytest.mark.parametrize("text, expected", [
    ('name: "\\ud800"\ninput: [1]\nlayers: [relu]\n',
     "line 1, column 7: a lone surrogate '\\ud800' is not a character"),
    ('name: x\ninput: [1]\nlayers:\n  - relu: {name: "a\\udfffb"}\n',
     "line 4, column 18: a lone surrogate '\\udfff' is not a character"),
    ('name: x\ninput: [1]\nlayers:\n  - relu: {"\\ud800": 1}\n',
     "line 4, column 12: a lone surrogate '\\ud800' is not a character"),
])
def test_a_lone_surrogate_anywhere(tmp_path, text, expected):
    """As a subprocess: writing a lone surrogate to stderr would itself fail."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "table", str(path)], cwd=ROOT,
                          capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and err.count("\n") == 1, err
    assert err.rstrip("\n").endswith(expected), err


@pytest.mark.parametrize("value, shown", [
    ('"a\\nb"', "'a\\nb'"), ('"a\\rb"', "'a\\rb'"), ('"a\\tb"', "'a\\tb'"),
    ('"a\\x00b"', "'a\\x00b'"), ('"a\\x7fb"', "'a\\x7fb'"), ('"a\\x85b"', "'a\\x85b'"),
    ('"a\\x9fb"', "'a\\x9fb'"), ('"a\\u2028b"', "'a\\u2028b'"), ('"a\\ufffeb"', "'a\\ufffeb'"),
    ('"a\\uffffb"', "'a\\uffffb'"), ('"a\\U0010FFFFb"', "'a\\U0010ffffb'"),
    ('"ab\\n"', "'ab\\n'"), ('"\\x85ab"', "'\\x85ab'"),
])
@pytest.mark.parametrize("where, template", [
    ("", "name: {v}\ninput: [1]\nlayers: [relu]\n"),
    ("layer 1 (relu): ", "name: x\ninput: [1]\nlayers:\n  - relu: {{name: {v}}}\n"),
    ("published 1: ", "name: x\ninput: [1]\nlayers: [relu]\npublished: "
                      "[{{source: {v}, params: 1}}]\n"),
])
def test_names_and_labels_are_one_line_without_control_characters(value, shown, where,
                                                                   template):
    field = "source" if "published" in where else "name"
    where = where.replace("layer 1 ", f"layer 1 {shown} ")  # the location shows it escaped
    with pytest.raises(UserError) as info:
        parse_spec(template.format(v=value), "specs/bad.yaml", "bad")
    assert str(info.value) == (f"specs/bad.yaml: {where}{field} must be a non-empty "
                               f"line of text without control characters, found the "
                               f"string {shown}")


def test_descriptions_may_have_line_breaks_and_tabs_but_no_other_control_characters():
    net = parse_spec('name: x\ninput: [1]\nlayers: [relu]\ndescription: "One.\\n\\n\\tTwo."\n',
                     "a.yaml", "a")
    assert net.description == "One.\n\n\tTwo."
    with pytest.raises(UserError, match=r"^a.yaml: description must be Markdown text without "
                                        r"control characters other than line breaks and tabs, "
                                        r"found the string 'a\\x0cb'$"):
        parse_spec('name: x\ninput: [1]\nlayers: [relu]\ndescription: "a\\fb"\n', "a.yaml",
                   "a")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:x", "//evil.example/x", "/relative/path", "page.html", "https:evil",
    "https://", "http://exa mple.com", "https://example.com/\nx", "ftp://example.com/x",
    " javascript:alert(1)", "\x01https://example.com",
])
def test_published_urls_are_http_or_https_only(url):
    text = "name: x\ninput: [1]\nlayers: [relu]\npublished:\n  - {source: s, params: 1, url: %s}\n"
    quoted = '"' + url.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    with pytest.raises(UserError) as info:
        parse_spec(text % quoted, "a.yaml", "a")
    assert str(info.value).startswith("a.yaml: published 1: url must be an absolute http:// "
                                      "or https:// address, found ")


def test_http_and_https_urls_are_kept():
    text = ("name: x\ninput: [1]\nlayers: [relu]\npublished:\n"
            "  - {source: a, params: 1, url: 'HTTPS://arxiv.org/abs/1512.03385v1#page=5'}\n"
            "  - {source: b, params: 1, url: 'http://example.com/a b?c=d&e=<f>'}\n")
    net = parse_spec(text, "a.yaml", "a")
    assert [p.url for p in net.published] == ["HTTPS://arxiv.org/abs/1512.03385v1#page=5",
                                              "http://example.com/a b?c=d&e=<f>"]


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize("layers, expected", [
    ("  - adaptive_avgpool: {output: 1000000000000000000000000000000}\n",
     "layer 1 (adaptive_avgpool): output must be at most 1,000,000, found "
     "1000000000000000000000000000000"),
    ("  - conv: {out: 1000001, kernel: 1}\n",
     "layer 1 (conv): out must be at most 1,000,000, found 1000001"),
    ("  - conv: {out: 1, kernel: [1, 1000001]}\n",
     "layer 1 (conv): kernel must be at most 1,000,000, found the list [1, 1000001]"),
    ("  - conv: {out: 1, kernel: 1, padding: 1000001}\n",
     "layer 1 (conv): padding must be at most 1,000,000, found 1000001"),
    ("  - maxpool: {kernel: 1, stride: 1000001}\n",
     "layer 1 (maxpool): stride must be at most 1,000,000, found 1000001"),
    ("  - conv_transpose: {out: 1, kernel: 1, dilation: 1000001}\n",
     "layer 1 (conv_transpose): dilation must be at most 1,000,000, found 1000001"),
    ("  - bottleneck: {width: 1, expansion: 1000001}\n",
     "layer 1 (bottleneck): expansion must be at most 1,000,000, found 1000001"),
])
def test_every_size_is_at_most_a_million(tmp_path, capsys, layers, expected):
    message = spec_error(tmp_path, HEAD + "layers:\n" + layers, capsys, seconds=5)
    assert message.endswith(expected), message


def test_input_dimensions_are_at_most_a_million(tmp_path, capsys):
    message = spec_error(tmp_path, "name: x\ninput: [3, 1000001, 8]\nlayers: [relu]\n",
                         capsys)
    assert message.endswith(": input must be at most 1,000,000, found the list "
                            "[3, 1000001, 8]")


def test_a_million_is_allowed():
    net = parse_spec("name: x\ninput: [1000000]\nlayers:\n  - fc: {out: 1000000}\n",
                     "a.yaml", "a")
    assert net.input == (1_000_000,) and net.layers[0].out == 1_000_000


def test_at_most_ten_thousand_layers_after_expanding_blocks():
    ok = parse_spec(HEAD + "layers:\n" + "  - relu\n" * 10_000, "a.yaml", "a")
    assert len(ok.layers) == 10_000
    with pytest.raises(UserError, match=r"^a.yaml: layer 10001 \(relu\): more than 10,000 "
                                        r"layers \(blocks count the layers inside\)$"):
        parse_spec(HEAD + "layers:\n" + "  - relu\n" * 10_001, "a.yaml", "a")
    # a bottleneck is 10 layers (with its projection), a basic block 7
    with pytest.raises(UserError, match=r"^a.yaml: layer 1001 \(bottleneck\): more than "):
        parse_spec(HEAD + "layers:\n" + "  - bottleneck: {width: 1}\n" * 1001, "a.yaml", "a")
    parse_spec(HEAD + "layers:\n" + "  - bottleneck: {width: 1}\n" * 1000, "a.yaml", "a")
    with pytest.raises(UserError, match=r"^a.yaml: layer 1 \(residual\) > main 10001 \(relu\):"):
        parse_spec(HEAD + "layers:\n  - residual:\n      main:\n" + "        - relu\n" * 10_001,
                   "a.yaml", "a")


def test_a_block_counts_as_the_layers_it_expands_to():
    from generator.specs import Basic, Bottleneck, Concat, Residual

    for block in (Basic(out=8, stride=2), Bottleneck(width=2, stride=2)):
        res = block.expand(3)  # a projection: the most layers it can have
        assert len(res.main) + len(res.shortcut) == type(block).COUNTS_AS
    assert Residual.COUNTS_AS == Concat.COUNTS_AS == 0


def test_a_spec_file_is_at_most_one_mebibyte(tmp_path, capsys):
    text = HEAD + "layers: [relu]\n#" + "é" * (1 << 19) + "\n"  # 2 bytes per é
    assert len(text.encode()) == 1_048_618
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    message = cli_error(path, capsys=capsys)
    assert message.endswith("big.yaml: the file has 1,048,618 bytes; a spec may have at most "
                            "1,048,576 (1 MiB)"), message
    with pytest.raises(UserError, match=r"^a.yaml: the file has 1,048,618 bytes"):
        parse_spec(text, "a.yaml", "a")
    assert parse_spec(text[:-30], "a.yaml", "a").name == "x"  # 1,048,559 bytes


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_numbers_are_finite(value):
    with pytest.raises(UserError, match=r"eps must be a positive number, found "):
        parse_spec(HEAD + f"layers:\n  - batchnorm: {{eps: {value}}}\n", "a.yaml", "a")


def test_a_rounded_figure_is_compared_with_a_huge_computed_count(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("name: x\ninput: [1000000, 1, 1]\nlayers:\n"
                    "  - conv_transpose: {out: 1000000, kernel: 1000000}\n"
                    "  - conv_transpose: {out: 1000000, kernel: 1000000}\n"
                    "published: [{source: s, macs: 4.1G}]\n", encoding="utf-8")
    net = load_spec(path)
    macs = net.published[0].macs
    huge = 10**36 + 10**24
    assert str(macs.rounded(huge)) == "1000000000001000000000000000.0"  # (10**27 + 10**15) G
    assert not macs.matches(huge) and macs.matches(4_149_999_999)
    with within(10):
        assert main(["table", str(path)]) == 0
    assert "|" in capsys.readouterr().out


def test_a_trillion_unit_is_not_a_published_figure():
    with pytest.raises(UserError, match="params must be an exact integer or a rounded figure"):
        parse_spec(HEAD + "layers: [relu]\npublished: [{source: s, params: 2.0T}]\n",
                   "a.yaml", "a")


# ------------------------------------------------------------------ files and the CLI


def test_a_symlink_loop_given_to_the_cli(tmp_path, capsys):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    message = cli_error(loop, capsys=capsys)
    assert message.endswith("loop.yaml: cannot be read: a symbolic link loop"), message


@pytest.mark.parametrize("text", ["²,3,3", "3,٣,3", "３,3,3", "3,3,3\n", "0", "3,0,3", "3,,3",
                                  "-3,3,3", "3,3", "+3,3,3", "3.0,3,3", ""])
def test_input_override_takes_ascii_digits_only(capsys, text):
    message = cli_error(ROOT / "generator/specs/lenet5.yaml", f"--input={text}", capsys=capsys)
    assert message == ("--input: expected C,H,W (or one number of features) as positive "
                       f"integers, found {text!r}")


@pytest.mark.parametrize("text", ["3,1000001,3", "1" + "0" * 5000])
def test_input_override_is_at_most_a_million(capsys, text):
    message = cli_error(ROOT / "generator/specs/lenet5.yaml", f"--input={text}", capsys=capsys)
    assert message == f"--input: every number must be at most 1,000,000, found {text!r}"


def test_anchors_aliases_and_merge_keys_still_work():
    net = parse_spec(HEAD + "layers:\n  - conv: &c {out: 4, kernel: 3, padding: 1}\n"
                     "  - conv: {<<: *c, out: 8}\n  - residual: {main: &m [relu, tanh]}\n"
                     "  - residual: {main: *m}\n", "a.yaml", "a")
    first, second, r1, r2 = net.layers
    assert (first.out, second.out, second.kernel, second.padding) == (4, 8, (3, 3), (1, 1))
    assert r1.main == r2.main and len(r2.main) == 2
    with pytest.raises(UserError, match=r"^a.yaml: line 5, column 28: not valid YAML: the key "
                                        r"'out' is given twice in one mapping$"):
        parse_spec(HEAD + "layers:\n  - conv: &c {out: 4, kernel: 3}\n"
                   "  - conv: {<<: *c, out: 8, out: 9}\n", "a.yaml", "a")


def test_a_long_unknown_kind_or_field_is_cut_in_the_message():
    with pytest.raises(UserError) as info:
        parse_spec(HEAD + "layers:\n  - " + "c" * 100_000 + "\n", "a.yaml", "a")
    assert str(info.value).startswith("a.yaml: layer 1: unknown layer type '" + "c" * 60 + "'… ")
    from generator.specs import kinds

    known = ", ".join(list(kinds.LAYER_KINDS) + list(kinds.ALIASES))
    assert str(info.value).endswith(f"(known types: {known})")
    assert len(str(info.value)) < 150 + len(known)  # the kind itself is cut at 60


def test_the_characters_refused_in_names_are_controls_line_separators_surrogates_and_nonchars():
    """Cross-check of the code point ranges against Unicode's own categories."""
    import unicodedata

    from generator.specs.fields import NOT_IN_LINE, NOT_IN_TEXT

    every = "".join(map(chr, range(0x110000)))
    expected = {cp for cp in range(0x110000)
                if unicodedata.category(chr(cp)) in ("Cc", "Cs", "Zl", "Zp")
                or 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE}
    assert len(expected) == 65 + 2 + 2048 + 66
    assert {m.start() for m in NOT_IN_LINE.finditer(every)} == expected
    assert {m.start() for m in NOT_IN_TEXT.finditer(every)} == expected - {0x09, 0x0A}
