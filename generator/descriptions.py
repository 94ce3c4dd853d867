"""Every page's meta description: the start of its first paragraph, as plain text.

Material writes ``<meta name="description">`` from a page's ``description``
front matter without escaping it, so the text put there is escaped for HTML
here. Run on every Markdown page of the output folder, generated and
hand-written alike (:func:`add`). One fact, one place: a description typed in
a page's front matter is replaced, so it can never drift from the page.
"""

from __future__ import annotations

import html
import json
import re

#: Search engines show about this many characters.
MAX_CHARS = 160

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
#: A block that is not a paragraph starts like this: heading, HTML, admonition,
#: list, table, quote, display math, attributes, fence, indented code, rule.
_NOT_PARAGRAPH = re.compile(r"^(#|<|!!!|\?\?\?|[-*+]\s|\d+[.)]\s|\||>|\$\$|\\\[|\{|```|~~~| {4}|\t|(-{3,}|\*{3,}|_{3,})\s*$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TAG = re.compile(r"<[^>]+>")
_MATH = re.compile(r"\\\((.*?)\\\)", re.S)


def first_paragraph(markdown: str) -> str | None:
    """The Markdown of the page's first paragraph (front matter skipped), or None."""
    body = _FRONT.sub("", markdown, count=1)
    block: list[str] = []
    fenced = False
    for line in body.splitlines() + [""]:
        if _FENCE.match(line):
            fenced = not fenced
            block = []
            continue
        if fenced:
            continue
        if line.strip():
            block.append(line)
            continue
        if block and not _NOT_PARAGRAPH.match(block[0]):
            return "\n".join(block)
        block = []
    return None


def plain(markdown: str) -> str:
    """A paragraph's Markdown as the text a reader sees (math as its TeX source)."""
    import markdown as md

    out = md.markdown(markdown, extensions=["attr_list", "footnotes", "pymdownx.arithmatex"],
                      extension_configs={"pymdownx.arithmatex": {"generic": True}})
    text = html.unescape(_TAG.sub("", out))
    return " ".join(_MATH.sub(r"\1", text).split())


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut at a word to at most ``limit`` characters, an ellipsis marking a cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "\u2026"


def describe(markdown: str) -> str | None:
    """The description of a page (HTML-escaped plain text), or None when it has no paragraph."""
    para = first_paragraph(markdown)
    text = shorten(plain(para)) if para else ""
    return html.escape(text, quote=True) if text else None


def with_description(markdown: str) -> str:
    """The page with ``description`` added to its front matter (JSON, which is YAML)."""
    import yaml

    found = _FRONT.match(markdown)
    meta = (yaml.safe_load(found.group(1)) if found else None) or {}
    if not isinstance(meta, dict):
        return markdown
    text = describe(markdown)
    if text is None:
        return markdown
    meta = {k: v for k, v in meta.items() if k != "description"} | {"description": text}
    body = markdown[found.end():] if found else markdown
    return "---\n" + json.dumps(meta, ensure_ascii=True, default=str) + "\n---\n" + body


def add(outputs: list) -> list:
    """``outputs`` (``generator.render.Output``) with every Markdown page described."""
    from dataclasses import replace

    return [replace(o, data=with_description(o.data.decode("utf-8")).encode("utf-8"))
            if o.path.endswith(".md") else o for o in outputs]
