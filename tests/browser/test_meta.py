"""Every page has its own meta description: the start of its first paragraph, as plain
text (generator/descriptions.py writes it into each page's front matter)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from generator import descriptions

#: Material's 404 page has no content of its own: it keeps the site's description.
NOT_PAGES = {"404.html"}


class _Page(HTMLParser):
    """The meta description and the text of the first <p> inside the article."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.description: str | None = None
        self.paragraph: list[str] | None = None
        self._article = 0
        self._in_p = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        if tag == "article":
            self._article += 1
        if tag == "p" and self._article and not self._done and self.paragraph is None:
            self.paragraph, self._in_p = [], True

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        if tag == "p" and self._in_p:
            self._in_p, self._done = False, True

    def handle_data(self, data):
        if self._in_p:
            self.paragraph.append(data)


def _text(parts: list[str]) -> str:
    """What a reader reads, math as its TeX source (arithmatex's \\( \\) dropped)."""
    return " ".join(re.sub(r"\\\((.*?)\\\)", r"\1", "".join(parts), flags=re.S).split())


@pytest.mark.site
def test_every_page_has_its_own_description_the_start_of_its_first_paragraph(built_site):
    seen: dict[str, str] = {}
    bad = []
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel in NOT_PAGES:
            continue
        parsed = _Page()
        parsed.feed(page.read_text("utf-8"))
        desc, para = parsed.description, parsed.paragraph
        if not desc or para is None:
            bad.append((rel, "no description" if not desc else "no paragraph"))
            continue
        if desc in seen:
            bad.append((rel, f"same description as {seen[desc]}"))
        seen[desc] = rel
        start = desc.removesuffix("\u2026")
        if len(desc) > descriptions.MAX_CHARS or not _text(para).startswith(start):
            bad.append((rel, desc, _text(para)[:200]))
    assert len(seen) > 50 and bad == []


def test_description_is_plain_escaped_text_of_the_first_paragraph():
    page = ('---\n{"tags": ["a"]}\n---\n# Title\n\n!!! note\n    not this\n\n'
            '```python\nx = 1\n\nnor this\n```\n\n'
            'The **kernel** of `conv2d` is \\(f \\times f\\), see [why](x.md){ .c } & "quoted" <b>.\n'
            'Second line.\n\nNot the second paragraph.\n')
    out = descriptions.with_description(page)
    assert out.startswith('---\n{"tags": ["a"], "description": "The kernel of conv2d is '
                          'f \\\\times f, see why &amp; &quot;quoted&quot; . Second line."}\n---\n# Title')
    typed = descriptions.with_description('---\ndescription: typed\n---\n\nThe text.\n')
    assert typed == '---\n{"description": "The text."}\n---\n\nThe text.\n'
    assert descriptions.describe("# Only a heading\n") is None


def test_a_long_paragraph_is_cut_at_a_word_with_an_ellipsis():
    words = " ".join(f"word{i}," for i in range(60))
    text = descriptions.shorten(words)
    assert len(text) == 157 and text.endswith("word20\u2026") and words.startswith(text[:-1])
    assert descriptions.shorten("short one") == "short one"
