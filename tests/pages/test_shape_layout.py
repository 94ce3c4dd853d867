"""Prose writes shapes the site's way, C×H×W (text.shape), not the notes' H×W×C (issue #13)."""

from __future__ import annotations

import re

import pytest

from generator import text
from generator.pages import site_map
from generator.render import TEMPLATES
from generator.specs import load_builtin
from tests.conftest import ROOT
from tests.pages.helpers import render_page

#: a×a×c with c = 1 or 3 after a square size: an image written channels last.
HWC = re.compile(r"\b(\d+)\s?[x×]\s?(\d+)\s?[x×]\s?(\d+)\b")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def channels_last(markdown: str) -> list[str]:
    """Shapes written H×W×C in prose (code blocks, and lines naming HWC or the notes'
    own writing as an alternative, are left out)."""
    found = []
    for line in FENCE.sub("", markdown).splitlines():
        if "HWC" in line or "notes write" in line or "notes'" in line:
            continue
        for m in HWC.finditer(line):
            a, b, c = (int(v) for v in m.groups())
            if a == b and c in (1, 3) and a > c:
                found.append(m.group(0))
    return found


def test_detector_catches_the_old_prose():
    assert channels_last("Flatten a 32x32x3 image") == ["32x32x3"]
    assert channels_last("the volume is 32x32x10") == []          # not an image: no claim
    assert channels_last("a 3×32×32 image") == []
    assert channels_last("```\nprint('5x5x3')\n```") == []


@pytest.mark.parametrize("slug", [p.slug for p in site_map.section("foundations").pages])
def test_foundations_pages_write_channels_first(slug):
    assert channels_last(render_page("foundations", slug)) == []


@pytest.mark.parametrize("slug,want,gone", [
    ("fully-connected-vs-convolution", "10×32×32 volume", None),
    ("padding", "so the volume is 10×32×32", "x10:"),
    ("one-by-one", "Worked example: 192×28×28 to 32×28×28\n\n**Directly**, with 32 filters of "
                   f"{text.shape((5, 5))}, 'same' padding", "28x28x192"),
    ("pooling", "a 64×224×224 volume becomes 64×112×112", "224×224×64"),
    ("volumes", "on a 3×6×6 image", "6x6x3"),
    ("layer-notation", "a 3×39×39 image through three layers", "39x39x3"),
])
def test_pages_state_the_computed_shape(slug, want, gone):
    page = render_page("foundations", slug)
    assert want in page
    if gone:
        assert gone not in page


def test_convnet39_name_is_channels_first():
    net = load_builtin("convnet39")
    assert text.shape(net.input) in net.name and "39×39×3" not in net.name


# --- the snippets ("Compute it yourself"): their code and what they print are on the pages

#: a size written with an ASCII x (5x5, 5x5x3): the site writes × through text.shape.
ASCII_SIZE = re.compile(r"(?<![\w.])\d+ ?x ?\d+(?: ?x ?\d+)?\b")
#: a×a×c with c ≠ a: a square plane written before its channels (5×5×100, 5x5x3).
SQUARE_FIRST = re.compile(r"\b(\d+) ?[x×] ?(\d+) ?[x×] ?(\d+)\b")


def snippet_slips(source: str, printed: str) -> list[str]:
    """Sizes a snippet writes the notes' way: ASCII x in its code or output, or a shape
    whose square plane comes before its channels in what it prints."""
    found = [m.group(0) for t in (source, printed) for m in ASCII_SIZE.finditer(t)]
    found += [m.group(0) for m in SQUARE_FIRST.finditer(printed)
              if m[1] == m[2] != m[3]]
    return sorted(set(found + channels_last(printed)))


def test_snippet_detector_catches_the_old_output():
    assert snippet_slips("", "10 filters 5x5x3: 750 + 10 = 760") == ["5x5x3"]
    assert snippet_slips("", "50 filters 5×5×100: 125000 + 50") == ["5×5×100"]
    assert snippet_slips("", "stride 2: output 3x3") == ["3x3"]
    assert snippet_slips("w = 1  # six 5x5x3 filters", "") == ["5x5x3"]
    assert snippet_slips("", "50 filters 100×5×5 and 10×37×37, (1, 10, 32, 32)") == []


#: What is not prose in a template or a hand-written page: code (fenced, inline), Jinja
#: tags and comments, link targets, HTML tags and attribute lists (figure ids live there).
NOT_PROSE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1|`[^`\n]*`|\{%.*?%\}|\{#.*?#\}"
                       r"|\]\([^)]*\)|<[^>]*>|\{[ \t:]*[.#][^}\n]*\}|\{[^{}\n]*=[^{}\n]*\}",
                       re.S | re.M)


def prose_slips(source: str) -> list[str]:
    """Sizes a template or a hand-written page writes with an ASCII x in its prose; an
    expression reads 9, so ``{{ n }}x{{ n }}`` is one (the dims filter writes 9×9)."""
    return ASCII_SIZE.findall(NOT_PROSE.sub(" ", re.sub(r"\{\{.*?\}\}", "9", source, flags=re.S)))


def test_prose_detector_catches_the_old_templates():
    assert prose_slips("a {{ n }}x{{ n }} input, 5x5 filters, `3x3` {{ fig('a-7x7') }}\n"
                       "```\n2x2\n```\n![x](f-6x6.svg){ #w-4x4 style=\"--a: 3x3\" }\n"
                       "Conv2d_1a_3x3 32x4d") == ["9x9", "5x5"]
    assert prose_slips("a {{ (n, n) | dims }} input, 5×5 filters") == []


def test_templates_and_hand_written_pages_write_sizes_with_times():
    pages = [*TEMPLATES.rglob("*.j2"),
             *(p for p in (ROOT / "docs").rglob("*.md") if "vendor" not in p.parts)]
    assert len(pages) > 40
    found = {str(p.relative_to(ROOT)): slips for p in pages
             if (slips := prose_slips(p.read_text(encoding="utf-8")))}
    assert found == {}


def _snippet_names():
    from generator.pages import snippets

    return sorted(p.stem for p in snippets.EXAMPLES.iterdir() if p.suffix in (".py", ".sh"))


@pytest.mark.parametrize("name", _snippet_names())
def test_snippets_write_shapes_channels_first(name):
    from generator.pages import snippets

    snippet = snippets.run(name)
    assert snippet_slips(snippet.source, snippet.output) == []


@pytest.mark.parametrize("name,line", [
    ("parameters", f"10 filters {text.shape((3, 5, 5))}: 750 + 10 = 760"),
    ("parameters", f"50 filters {text.shape((100, 5, 5))}: 125000 + 50 = 125050"),
    ("fully_connected_vs_convolution", f"conv 10 filters {text.shape((3, 5, 5))}:  (750, 10)"),
    ("stride", f"stride 3: output {text.shape((2, 2))}"),
])
def test_snippets_print_the_computed_shape(name, line):
    from generator.pages import snippets

    assert line in snippets.run(name).output.splitlines()


def _reference_pages():
    from generator.pages import reference

    return {out.path: out.data.decode("utf-8") for out in reference.outputs(None)
            if out.path.startswith(site_map.REFERENCE.slug + "/")}


def test_reference_pages_write_channels_first():
    pages = _reference_pages()
    assert {"reference/errata.md", "reference/cheat-sheet.md", "reference/glossary.md"} <= set(pages)
    for path, markdown in pages.items():
        assert channels_last(markdown) == [], path
    errata = pages["reference/errata.md"]
    assert "(a 3×32×32 input, which the notes write 32x32x3;" in errata
    assert "the 3×39×39 example (the notes write 39x39x3)" in errata
