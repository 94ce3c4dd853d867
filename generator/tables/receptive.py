"""Receptive-field arithmetic (Araujo, Norris and Sim, "Computing Receptive Fields of
Convolutional Neural Networks", Distill, 2019).

For each spatial dimension a layer's output is described by three integers,
in input pixels:

* ``size`` r — how many input pixels one output value depends on;
* ``jump`` j — how far apart, in the input, two neighbouring outputs' fields start
  (the effective stride: the product of the strides so far);
* ``start`` u — where the field of the first output starts (negative when it
  reaches into the padding; ``-start`` is Araujo's effective padding).

A window layer with kernel k (dilated to d(k−1)+1), stride s and padding p
before the data turns (r, j, u) into::

    r' = r + (k − 1) j        j' = j s        u' = u − p j

Element-wise layers change nothing. ``flatten`` followed by a linear layer is a
convolution whose kernel is the whole map (Araujo's treatment of fully connected
layers), so ``flatten`` takes k = H (and W), s = 1, p = 0.

Where paths meet (a residual addition, an Inception concatenation) an output
depends on every path, so its field is the union of the paths' fields: from the
smallest start to the largest end. Transposed convolutions, and adaptive pooling
whose windows are not all alike, have no single (r, j, u); from there on the
field is ``None`` (shown as "—").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Field1D", "Field", "INPUT", "window", "union", "adaptive_window"]


@dataclass(frozen=True)
class Field1D:
    """Receptive field along one dimension: size, jump and start, in input pixels."""

    size: int
    jump: int
    start: int

    @property
    def end(self) -> int:
        """The last input pixel the first output sees."""
        return self.start + self.size - 1


#: (height, width), or None where the field is not defined.
Field = tuple[Field1D, Field1D] | None

#: The input itself: every pixel sees itself.
INPUT: Field = (Field1D(1, 1, 0), Field1D(1, 1, 0))


def window(field: Field, kernel, stride, pad_before, dilation=(1, 1)) -> Field:
    """The field after a sliding window (convolution or pooling); arguments are (h, w)."""
    if field is None:
        return None
    out = []
    for f, k, s, p, d in zip(field, kernel, stride, pad_before, dilation):
        span = d * (k - 1) + 1
        out.append(Field1D(f.size + (span - 1) * f.jump, f.jump * s, f.start - p * f.jump))
    return out[0], out[1]


def union(fields: list[Field]) -> Field:
    """The field of an output that depends on all ``fields`` (paths that meet)."""
    if any(f is None for f in fields):
        return None
    out = []
    for dim in zip(*fields):
        if len({f.jump for f in dim}) != 1:
            return None
        start = min(f.start for f in dim)
        end = max(f.end for f in dim)
        out.append(Field1D(end - start + 1, dim[0].jump, start))
    return out[0], out[1]


def adaptive_window(size: int, out: int) -> tuple[int, int] | None:
    """``(kernel, stride)`` of adaptive pooling from ``size`` to ``out`` along one
    dimension, or None when its windows differ in size or spacing.

    PyTorch's window i covers ``[floor(i*size/out), ceil((i+1)*size/out))``. With
    ``size = q*out + r`` (0 <= r < out) window i starts at ``i*q + floor(i*r/out)``,
    so the windows are evenly spaced only when ``floor(i*r/out) = 0`` for every
    i < out, that is r <= 1 (or one window, whose stride is taken as 1):

    * r = 0: they tile the input, kernel q, stride q;
    * r = 1: window i ends at ``(i+1)*q + 1``, kernel q + 1, stride q (which is 0
      when size = 1: every output sees the one pixel);
    * r >= 2 with two or more windows: steps of q and q + 1 both occur.

    Closed form: no window is listed, so any size takes constant time.
    """
    if out == 1:
        return size, 1
    q, r = divmod(size, out)
    if r == 0:
        return q, q
    if r == 1:
        return q + 1, q
    return None
