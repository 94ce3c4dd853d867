"""Formulas that are shown and evaluated from one definition.

An :class:`Expr` is built with Python operators from the symbols below; it
gives its LaTeX (:attr:`Expr.tex`) and its exact value for given sizes
(:meth:`Expr.value`, a Fraction), so a table can never show one formula and
evaluate another.

>>> e = (n - f + 1) / s
>>> e.tex, e.value(n=7, f=3, s=2)
('\\\\frac{n - f + 1}{s}', Fraction(5, 2))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

#: Precedence of an expression's outermost operation (higher binds tighter).
_SUM, _PRODUCT, _ATOM = 1, 2, 3


@dataclass(frozen=True)
class Expr:
    """A formula over named sizes: its LaTeX and how to evaluate it."""

    tex: str
    evaluate: Callable[[dict], Fraction]
    precedence: int = _ATOM

    def value(self, **sizes) -> Fraction:
        return Fraction(self.evaluate(sizes))

    def _wrap(self, above: int) -> str:
        return self.tex if self.precedence >= above else f"\\left({self.tex}\\right)"

    def __add__(self, other):
        o = _expr(other)
        return Expr(f"{self.tex} + {o._wrap(_SUM)}", lambda v: self.evaluate(v) + o.evaluate(v), _SUM)

    def __radd__(self, other):
        return _expr(other) + self

    def __sub__(self, other):
        o = _expr(other)
        return Expr(f"{self.tex} - {o._wrap(_PRODUCT)}", lambda v: self.evaluate(v) - o.evaluate(v), _SUM)

    def __rsub__(self, other):
        return _expr(other) - self

    def __mul__(self, other):
        o = _expr(other)
        return Expr(f"{self._wrap(_PRODUCT)}{o._wrap(_PRODUCT)}",
                    lambda v: self.evaluate(v) * o.evaluate(v), _PRODUCT)

    def __rmul__(self, other):
        return _expr(other) * self

    def __truediv__(self, other):
        o = _expr(other)
        return Expr(f"\\frac{{{self.tex}}}{{{o.tex}}}",
                    lambda v: Fraction(self.evaluate(v)) / o.evaluate(v), _ATOM)


def _expr(x) -> Expr:
    if isinstance(x, Expr):
        return x
    return Expr(str(x), lambda v, c=Fraction(x): c)


def symbol(name: str) -> Expr:
    """A size called ``name``; its value is looked up by that name."""
    return Expr(name, lambda v: Fraction(v[name]))


def floor(e: Expr) -> Expr:
    return Expr(f"\\left\\lfloor {e.tex} \\right\\rfloor", lambda v: Fraction(e.evaluate(v).__floor__()))


def ceil(e: Expr) -> Expr:
    return Expr(f"\\left\\lceil {e.tex} \\right\\rceil", lambda v: Fraction(e.evaluate(v).__ceil__()))


n, f, s, p = (symbol(name) for name in "nfsp")
