"""How numbers, shapes and users' strings are written on the site: one place for each.

Shapes are written channels first, ``C×H×W`` (PyTorch's order, the order specs
use), everywhere a reader meets one: tables, figures, captions, prose and the
calculator. ``SHAPE_LAYOUT`` is the label printed beside them.

Strings that come from a user (a spec's name, description, labels) are data:
``markdown`` turns one into Markdown that renders exactly those characters and
can never become a tag, a link, math or table syntax; ``html`` does the same for
HTML contexts (nav titles, attributes).
"""

from __future__ import annotations

import html as htmllib
import re

#: The one displayed shape layout, as labelled where a reader meets a shape.
SHAPE_LAYOUT = "C×H×W"
#: The separator between a shape's sizes.
TIMES = "×"


def shape(dims) -> str:
    """A shape as the site writes it, e.g. ``64×55×55``; one number stays one number.

    >>> shape((64, 55, 55))
    '64×55×55'
    >>> shape([10])
    '10'
    """
    return TIMES.join(str(int(d)) for d in dims)


def size2(pair) -> str:
    """A (height, width) pair: ``3`` when both are equal, else ``3×5``.

    >>> size2((3, 3)), size2((3, 5))
    ('3', '3×5')
    """
    a, b = (int(v) for v in pair)
    return str(a) if a == b else f"{a}{TIMES}{b}"


def num(x, digits: int = 4, sep: str = ",") -> str:
    """A number as a reader writes it: ``30`` not ``30.0``, ``4.5``, ``1,960``, ``−3``.

    >>> num(30.0), num(1960), num(-3), num(4.5)
    ('30', '1,960', '−3', '4.5')
    """
    value = float(x)
    if value == int(value) and abs(value) < 1e15:
        text = f"{int(value):{sep}d}" if sep else str(int(value))
    else:
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace("-", "−") if text.startswith("-") else text


def thousands(n) -> str:
    """An integer with thousands separators: ``61,100,840``."""
    return f"{int(n):,}"


def texnum(x, parens: bool = False) -> str:
    """A number inside LaTeX math: ASCII minus, ``{,}`` thousands; ``(-1)`` with ``parens``.

    >>> texnum(-1234), texnum(-1, parens=True)
    ('-1{,}234', '(-1)')
    """
    text = num(x, sep=",").replace("\u2212", "-").replace(",", "{,}")
    return f"({text})" if parens and text.startswith("-") else text


def bmatrix(array) -> str:
    """A 2-D array as a LaTeX ``bmatrix`` (for pages' math)."""
    rows = [" & ".join(texnum(v) for v in row) for row in array]
    return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"


# Every ASCII character with a meaning in HTML, Markdown, tables or math delimiters
# becomes a numeric character reference: the browser shows the character itself,
# and no Markdown extension (tables, arithmatex, attr_list, ...) sees syntax.
_MARKDOWN = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|$~^=:@%"}
_HTML = {c: f"&#{ord(c)};" for c in "&<>\"'"}


def markdown(value) -> str:
    """A user's string as Markdown inline text that renders literally.

    >>> markdown("VGG-16 <modified>")
    'VGG&#45;16 &#60;modified&#62;'
    >>> markdown("a|b $x$")
    'a&#124;b &#36;x&#36;'
    """
    return "".join(_MARKDOWN.get(c, c) for c in str(value))


def html(value) -> str:
    """A user's string as HTML text or attribute value.

    >>> html('<img src=x onerror="alert(1)">')
    '&#60;img src=x onerror=&#34;alert(1)&#34;&#62;'
    """
    return "".join(_HTML.get(c, c) for c in str(value))


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
_TAG = re.compile(r"<[^>]*>")


def heading_slug(title: str) -> str:
    """The anchor of a Markdown heading: the slug Python-Markdown's ``toc`` gives it,
    except that ``×`` reads as ``x``, where ``toc`` drops it (it keeps only ASCII word
    characters): "Max pooling, 2×2, stride 2" -> ``max-pooling-2x2-stride-2``, not
    ``max-pooling-22-stride-2``.

    >>> heading_slug("Worked example: 192×28×28 to 32×28×28")
    'worked-example-192x28x28-to-32x28x28'
    >>> heading_slug("ResNeXt&#45;50 &#40;32×4d&#41;")
    'resnext-50-32x4d'
    """
    import markdown as python_markdown
    from markdown.extensions.toc import slugify

    shown = _TAG.sub("", python_markdown.markdown(title))  # the heading as the reader sees it
    return slugify(htmllib.unescape(shown).replace(TIMES, "x"), "-")


def heading_ids(page: str) -> str:
    """``page`` (Markdown) with an explicit id, :func:`heading_slug`, on every heading
    that holds a ``×`` and has no attribute list of its own; other headings keep the
    anchors ``toc`` gives them. Headings in fenced code are left alone; a repeated id
    gets ``_1``, ``_2``... as ``toc`` does."""
    lines, fence, used = page.split("\n"), None, set()
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened:
            mark = opened.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        heading = None if fence else _HEADING.match(line)
        if not heading or TIMES not in htmllib.unescape(heading.group(2)) \
                or heading.group(2).endswith("}"):
            continue
        slug = base = heading_slug(heading.group(2))
        n = 0
        while slug in used:
            n += 1
            slug = f"{base}_{n}"
        used.add(slug)
        lines[i] = f"{heading.group(1)} {heading.group(2)} {{ #{slug} }}"
    return "\n".join(lines)
