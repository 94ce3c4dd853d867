"""TensorFlow and Keras rules as code, beside PyTorch's in :mod:`generator.nn.shapes`.

TensorFlow is not a dependency of the site: these functions restate the rules
of ``tf.nn.conv2d``, ``tf.nn.avg_pool2d``/``max_pool2d`` and the Keras layers
``Conv2D``, ``Conv2DTranspose``, ``MaxPooling2D`` and ``AveragePooling2D``, so
pages can say what TensorFlow gives and tests can hold them to it.

Where they part from PyTorch:

- ``'SAME'`` (convolution and pooling) makes ``ceil(n / s)`` outputs and pads
  as little as that needs; an odd total puts the extra pixel after
  (bottom/right).  ``'VALID'`` pads nothing: ``ceil((n - k_eff + 1) / s)``.
- Keras ``Conv2DTranspose(padding='valid')`` gives ``n*s + max(k_eff - s, 0)``
  and ``'same'`` gives ``n*s`` (PyTorch: ``(n - 1)*s + k_eff`` with no padding).
- Average pooling with ``'SAME'`` divides by the pixels of the input inside the
  window, never by the padding: PyTorch's ``count_include_pad=False``, but with
  padding that may be uneven.  Max pooling ignores the padding (pads with -inf).
- ``tf.nn.conv2d`` also takes explicit per-side padding
  ``[[0, 0], [top, bottom], [left, right], [0, 0]]``; Keras layers take only
  ``'valid'``/``'same'`` (a number of pixels needs a ``ZeroPadding2D`` first).
- Keras convolution layers (``Conv2D`` and ``Conv2DTranspose``) refuse a
  stride above 1 together with a dilation above 1; ``tf.nn.conv2d`` accepts the
  pair (``tf.nn.convolution`` and ``tf.nn.pool`` refuse it too).
- Keras ``Conv2DTranspose`` takes an ``output_padding`` only below the stride
  (PyTorch: below the stride or the dilation).
- Keras pooling layers take no dilation.
- A window longer than the (padded) input is refused here, as Keras refuses it;
  ``tf.nn.conv2d`` may instead return an empty tensor.

Sizes are 1-D functions returning ``(out, pad_before, pad_after)``; the 2-D
array functions take and return NCHW arrays, like the rest of ``generator.nn``.
"""

from __future__ import annotations

import numpy as np

from .pad import pad as _pad
from .pool import avg_pool2d, max_pool2d
from .shapes import _check_conv_args, _check_fits, _int, pair, tf_output_size

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "conv_transpose_output_size",
    "check_keras_conv",
    "check_keras_conv_transpose",
    "check_keras_pool",
    "nn_conv2d_output_hw",
    "keras_conv2d_output_hw",
    "avg_pool2d_same",
    "max_pool2d_same",
    "zero_pad_then_valid",
]


def _mode(padding) -> str:
    """'same'/'SAME' -> 'SAME'; anything else but 'VALID' is refused."""
    mode = padding.upper() if isinstance(padding, str) else None
    if mode not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return mode


def conv_output_size(size, kernel, stride=1, dilation=1, padding="SAME") -> tuple[int, int, int]:
    """Output length and padding of ``tf.nn.conv2d`` along one dimension.

    Parameters
    ----------
    padding : 'SAME', 'VALID' (any case) or (before, after)
        A pair is ``tf.nn.conv2d``'s explicit padding of this dimension.

    Returns
    -------
    (out, pad_before, pad_after)
        'SAME': ``out = ceil(size / stride)``, total padding
        ``max((out - 1)*stride + dilation*(kernel - 1) + 1 - size, 0)`` with
        the odd pixel after.  Explicit: ``floor((size + before + after -
        dilation*(kernel - 1) - 1) / stride) + 1``.
    """
    if isinstance(padding, str):
        return tf_output_size(size, kernel, stride, dilation, _mode(padding))
    before, after = pair(padding, "padding")
    size, kernel, stride, dilation = (_int(size, "size"), _int(kernel, "kernel"),
                                      _int(stride, "stride"), _int(dilation, "dilation"))
    _check_conv_args((size,), (kernel,), (stride,), (before, after), (dilation,))
    _check_fits((size,), (kernel,), (before + after,), (dilation,))
    out = (size + before + after - dilation * (kernel - 1) - 1) // stride + 1
    return out, before, after


def pool_output_size(size, pool_size, strides=None, padding="valid") -> tuple[int, int, int]:
    """Output length and padding of Keras/TF pooling along one dimension.

    ``strides=None`` means ``strides=pool_size`` (as in Keras).  'same' rounds
    up, ``ceil(size / strides)``, where PyTorch's floor would drop the last
    partial window; 'valid' is ``ceil((size - pool_size + 1) / strides)``.

    Returns
    -------
    (out, pad_before, pad_after)
    """
    stride = pool_size if strides is None else strides
    return tf_output_size(size, pool_size, stride, 1, _mode(padding))


def conv_transpose_output_size(size, kernel, strides=1, padding="valid", output_padding=None,
                               dilation=1) -> int:
    """Output length of Keras ``Conv2DTranspose`` along one dimension.

    Without ``output_padding``: 'valid' gives ``size*strides + max(k_eff -
    strides, 0)`` and 'same' gives ``size*strides``, with ``k_eff =
    dilation*(kernel - 1) + 1``.  With it, ``(size - 1)*strides + k_eff - 2*pad
    + output_padding`` where ``pad`` is 0 ('valid') or ``k_eff // 2`` ('same').

    Raises ValueError where Keras refuses the layer (:func:`check_keras_conv_transpose`)
    and where TensorFlow fails to run it: 'same' with an ``output_padding`` whose
    size does not go back to ``size`` under 'SAME' (an even ``k_eff`` with
    ``output_padding=0``).
    """
    size, kernel, strides, dilation = (_int(size, "size"), _int(kernel, "kernel"),
                                       _int(strides, "strides"), _int(dilation, "dilation"))
    _check_conv_args((size,), (kernel,), (strides,), (0,), (dilation,))
    mode = _mode(padding)
    if output_padding is not None:
        output_padding = _int(output_padding, "output_padding")
    check_keras_conv_transpose(strides, dilation, output_padding)
    effective = dilation * (kernel - 1) + 1
    if output_padding is None:
        if mode == "VALID":
            return size * strides + max(effective - strides, 0)
        return size * strides
    crop = 0 if mode == "VALID" else effective // 2
    out = (size - 1) * strides + effective - 2 * crop + output_padding
    if mode == "SAME" and not (size - 1) * strides < out <= size * strides:
        raise ValueError(
            f"Conv2DTranspose(padding='same', output_padding={output_padding}) would give {out}, "
            f"which 'SAME' does not take back to {size}: TensorFlow fails when it runs it "
            f"(an even kernel, here dilated {effective}, needs output_padding of at least 1)")
    return out


def check_keras_conv(strides, dilation_rate) -> None:
    """Raise Keras's ValueError where its convolution layers refuse their arguments.

    Keras refuses ``strides > 1`` together with ``dilation_rate > 1`` (any
    dimension of each); ``tf.nn.conv2d`` computes that pair.
    """
    s, d = pair(strides, "strides"), pair(dilation_rate, "dilation_rate")
    if max(s) > 1 and max(d) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={s} and dilation_rate={d}")


def check_keras_conv_transpose(strides, dilation_rate, output_padding=None, groups=1) -> None:
    """Raise Keras's ValueError where ``Conv2DTranspose`` refuses its arguments.

    Groups above 1 (``Conv2DTranspose`` has no ``groups`` argument, unlike
    ``Conv2D``: a port splits the channels and concatenates); the stride with
    the dilation as in :func:`check_keras_conv`; and an ``output_padding``
    (None: not given) that is not below the stride in every dimension, where
    PyTorch allows anything below the stride or the dilation.
    """
    groups = _int(groups, "groups")
    if groups != 1:
        raise ValueError(f"Unrecognized keyword arguments passed to Conv2DTranspose: {{'groups': {groups}}}")
    check_keras_conv(strides, dilation_rate)
    if output_padding is None:
        return
    s, op = pair(strides, "strides"), pair(output_padding, "output_padding")
    for i, (a, b) in enumerate(zip(op, s)):
        if a >= b:
            raise ValueError(
                "`output_padding` must be strictly less than `strides` for all dimensions. "
                f"At dimension {i}, `output_padding` is {a} but `strides` is {b}. "
                f"Received: output_padding={op}, strides={s}")


def check_keras_pool(dilation) -> None:
    """Raise ValueError for a dilated pooling window: Keras pooling layers take no dilation."""
    d = pair(dilation, "dilation")
    if max(d) > 1:
        raise ValueError(f"Keras pooling layers take no dilation (dilation={d}); "
                         "tf.nn.pool takes one only with strides 1")


def nn_conv2d_output_hw(hw, kernel_size, strides=1, padding="SAME", dilations=1):
    """``((H', W'), ((top, bottom), (left, right)))`` of ``tf.nn.conv2d``.

    ``padding`` is 'SAME', 'VALID' or explicit ``((top, bottom), (left, right))``;
    any stride goes with any dilation.
    """
    h, w = pair(hw, "input size")
    k, s, d = pair(kernel_size, "kernel_size"), pair(strides, "strides"), pair(dilations, "dilations")
    sides = (padding, padding) if isinstance(padding, str) else tuple(padding)
    if len(sides) != 2:
        raise ValueError(f"explicit padding needs (top, bottom) and (left, right), got {padding!r}")
    rows = conv_output_size(h, k[0], s[0], d[0], sides[0])
    cols = conv_output_size(w, k[1], s[1], d[1], sides[1])
    return (rows[0], cols[0]), (rows[1:], cols[1:])


def keras_conv2d_output_hw(hw, kernel_size, strides=1, padding="valid", dilation_rate=1):
    """``(H', W')`` of Keras ``Conv2D``: 'valid' or 'same' only, and no stride with dilation."""
    if not isinstance(padding, str):
        raise ValueError(f"Keras takes padding 'valid' or 'same', got {padding!r}; "
                         "use ZeroPadding2D for a number of pixels")
    check_keras_conv(strides, dilation_rate)
    return nn_conv2d_output_hw(hw, kernel_size, strides, padding, dilation_rate)[0]


def _same_pads(hw, pool, strides):
    """TF 'SAME' pooling pads as ``nn.pad``'s (left, right, top, bottom)."""
    k = pair(pool, "pool_size")
    s = k if strides is None else pair(strides, "strides")
    (_, top, bottom), (_, left, right) = (pool_output_size(n, kk, ss, "SAME")
                                         for n, kk, ss in zip(hw, k, s))
    return k, s, (left, right, top, bottom)


def avg_pool2d_same(x, pool_size, strides=None):
    """``tf.nn.avg_pool2d(padding='SAME')`` on an NCHW array.

    The input is padded with zeros as 'SAME' pads it (the odd pixel after),
    and each window's sum is divided by the number of input pixels in it,
    never counting the padding.

    x: (N, C, H, W); returns (N, C, ceil(H/s), ceil(W/s)).
    """
    x = np.asarray(x)
    k, s, pads = _same_pads(x.shape[-2:], pool_size, strides)
    sums = avg_pool2d(_pad(x, pads), k, s)  # window means over the zero-padded input
    inside = avg_pool2d(_pad(np.ones(x.shape[-2:], dtype=x.dtype)[None], pads), k, s)[0]  # share of real pixels
    return (sums / inside).astype(x.dtype, copy=False)


def max_pool2d_same(x, pool_size, strides=None):
    """``tf.nn.max_pool2d(padding='SAME')`` on an NCHW array: the padding never wins.

    x: (N, C, H, W); returns (N, C, ceil(H/s), ceil(W/s)).
    """
    x = np.asarray(x)
    k, s, pads = _same_pads(x.shape[-2:], pool_size, strides)
    return max_pool2d(_pad(x, pads, value=-np.inf), k, s)


def zero_pad_then_valid(x, padding, pool_size, strides=None, kind="max"):
    """Keras ``ZeroPadding2D(padding)`` then ``{Max,Average}Pooling2D(padding='valid')``.

    The zeros take part like pixels: they win a max over negative inputs and
    count in an average's divisor.  x: (N, C, H, W), ``padding`` per side.
    """
    p = pair(padding, "padding")
    xp = _pad(np.asarray(x), (p[1], p[1], p[0], p[0]))
    op = max_pool2d if kind == "max" else avg_pool2d
    return op(xp, pool_size, strides)
