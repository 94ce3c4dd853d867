"""Padding that PyTorch's layers cannot take as written, lowered to spec layers exactly.

A convolution or pooling of another framework may pad unevenly (TensorFlow's 'SAME'
puts the odd pixel at the bottom/right; ONNX takes any ``pads``). PyTorch pads both sides
alike, so an uneven padding becomes a ``pad`` layer (``[left, right, top, bottom]``, as
ZeroPad2d) before a convolution with padding 0; a pooling keeps its own padding when one
value per side does (with ``ceil_mode`` for the odd pixel after), because padding a max
pooling with zeros would change its values. TensorFlow's padding rule itself is
:func:`generator.nn.tensorflow.conv_output_size`, not restated here.
"""

from __future__ import annotations

from ..nn import shapes
from ..nn.tensorflow import conv_output_size, pool_output_size

__all__ = ["tf_same_pads", "conv_padding", "pool_padding"]


def tf_same_pads(hw, kernel, stride, dilation=(1, 1), pool=False):
    """TensorFlow 'SAME' padding of a 2-D window as ``((top, bottom), (left, right))``."""
    if pool:
        (_, t, b), (_, l, r) = (pool_output_size(n, k, s, "SAME")
                                for n, k, s in zip(hw, kernel, stride))
    else:
        (_, t, b), (_, l, r) = (conv_output_size(n, k, s, d, "SAME")
                                for n, k, s, d in zip(hw, kernel, stride, dilation))
    return (t, b), (l, r)


def conv_padding(pads):
    """``((top, bottom), (left, right))`` -> ``(pad layer [l, r, t, b] or None, padding)``
    of a convolution: even padding stays on the convolution."""
    (t, b), (l, r) = pads
    if t == b and l == r:
        return None, (t, l)
    return [l, r, t, b], (0, 0)


def pool_padding(hw, kernel, stride, pads, dilation=(1, 1)):
    """The PyTorch pooling fields that give the windows of ``pads``
    (``((top, bottom), (left, right))``), or None when none does.

    Even padding of at most half the window is PyTorch's ``padding``; one pixel more
    after is the same padding with ``ceil_mode`` when that gives one more window, the
    last one partly past the input (PyTorch keeps it only if it starts inside).
    """
    (t, b), (l, r) = pads
    if not (b - t in (0, 1) and r - l in (0, 1)):
        return None
    if any(2 * p > k for p, k in zip((t, l), kernel)):
        return None
    want = [(n + p0 + p1 - d * (k - 1) - 1) // s + 1
            for n, (p0, p1), k, s, d in zip(hw, pads, kernel, stride, dilation)]
    for ceil in (False, True):
        try:
            got = shapes.pool2d_output_hw(tuple(hw), tuple(kernel), tuple(stride), (t, l),
                                          tuple(dilation), ceil)
        except ValueError:
            continue
        if list(got) == want:
            return {"padding": (t, l), "ceil_mode": ceil}
    return None
