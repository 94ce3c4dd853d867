"""Small helpers for the sentences of alt text and captions (numbers as the site writes them)."""

from __future__ import annotations

from .. import text
from . import style


def dims(v) -> str:
    """``[5, 5]`` -> ``"5×5"``; a (C, H, W) shape -> ``"C×H×W"`` (:func:`generator.text.shape`)."""
    return text.shape(v)


def side(v) -> str:
    """``[2, 2]`` -> ``"2"``, ``[2, 1]`` -> ``"2×1"`` (:func:`generator.text.size2`)."""
    return text.size2(v)


def article(phrase: str) -> str:
    """``"a 9×9 …"`` but ``"an 11×11 …"``, ``"an 8×8 …"``."""
    head = phrase.split(text.TIMES)[0]
    vowel = head[:1] == "8" or head in ("11", "18") or (head[:2] in ("11", "18") and len(head) in (5, 6))
    return ("an " if vowel else "a ") + phrase


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def value(v: float) -> str:
    """A computed value in a sentence: ``-5.0`` -> ``"−5"``, ``3.25`` -> ``"3.25"``."""
    s = f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return s.replace("-", "\u2212")


def fields(facts: dict) -> dict:
    """What an entry's own alt text and caption may name: each fact as it reads in a
    sentence (a list of ints as ``5×5``), and ``colour[role]``, the name of the colour
    the drawing gives that role (:data:`generator.figures.style.ALT_COLOURS`)."""
    out = {k: text.shape(v) if isinstance(v, (list, tuple)) and v
           and all(isinstance(x, int) for x in v) else v for k, v in facts.items()}
    out["colour"] = style.ALT_COLOURS
    return out
