"""Output-size arithmetic for convolution and pooling layers.

Every spatial size that ``generator.nn`` produces is computed here, once, in
plain Python integers, so the architecture tables of the site and the NumPy
operators can never disagree.  The formulas follow PyTorch (and, for
:func:`tf_output_size`, TensorFlow).

The 1-D functions work on one spatial dimension; the ``*_output_hw``
wrappers take ints or ``(h, w)`` pairs and return ``(H', W')``.  Error
messages never mention a file or layer: callers prefix that themselves.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

__all__ = [
    "pair",
    "conv_output_size",
    "conv_transpose_output_size",
    "pool_output_size",
    "same_padding",
    "tf_output_size",
    "conv2d_output_hw",
    "conv_transpose2d_output_hw",
    "pool2d_output_hw",
    "adaptive_pool2d_output_hw",
    "conv2d_padding",
    "ConvGeometry",
    "conv2d_geometry",
    "conv_transpose2d_geometry",
]


# ---------------------------------------------------------------- validation


def _is_int(x) -> bool:
    """True for Python/NumPy integers, False for bools and everything else."""
    if type(x) is int:  # the common case first (thousands of calls per network pass)
        return True
    if isinstance(x, bool) or type(x).__name__ in ("bool", "bool_"):  # incl. numpy.bool
        return False
    try:
        operator.index(x)
    except TypeError:
        return False
    return True


def _int(x, name: str) -> int:
    """Return ``x`` as a Python int or raise a ValueError naming ``name``."""
    if not _is_int(x):
        raise ValueError(f"{name} must be an int, got {x!r}")
    return operator.index(x)


def pair(x, name: str) -> tuple[int, int]:
    """Expand an int to ``(x, x)`` or validate a pair of ints.

    Parameters
    ----------
    x : int or sequence of two ints
        The argument as a user gave it (``bool`` is rejected, as are floats
        and strings).
    name : str
        Argument name used in the error message.

    Returns
    -------
    (int, int)
    """
    if type(x) is int:  # the common cases first, without the general checks
        return x, x
    if type(x) is tuple and len(x) == 2 and type(x[0]) is int and type(x[1]) is int:
        return x
    if _is_int(x):
        return operator.index(x), operator.index(x)
    if isinstance(x, (tuple, list)) and len(x) == 2 and all(_is_int(v) for v in x):
        return operator.index(x[0]), operator.index(x[1])
    raise ValueError(f"{name} must be an int or a pair of ints, got {x!r}")


def _dims(values) -> str:
    """Format per-dimension values as ``7`` (1-D) or ``7x5`` (2-D)."""
    return "x".join(str(v) for v in values)


def _kernel_text(kernels, dilations) -> str:
    """``kernel size 5`` or ``kernel size 5 (dilated 9)``; 2-D uses ``5x3``."""
    kernels = tuple(kernels)
    dilations = tuple(dilations)
    if len(set(kernels)) == 1 and len(set(dilations)) == 1:
        kernels, dilations = kernels[:1], dilations[:1]
    text = f"kernel size {_dims(kernels)}"
    if any(d != 1 for d in dilations):
        effective = [d * (k - 1) + 1 for k, d in zip(kernels, dilations)]
        text += f" (dilated {_dims(effective)})"
    return text


def _check_positive(values, name: str, what: str = "greater than zero") -> None:
    if any(v < 1 for v in values):
        shown = values[0] if len(values) == 1 else tuple(values)
        raise ValueError(f"{name} should be {what}, but got {shown}")


def _check_non_negative(values, name: str) -> None:
    if any(v < 0 for v in values):
        shown = values[0] if len(values) == 1 else tuple(values)
        raise ValueError(f"{name} must be non-negative, but got {shown}")


def _check_fits(sizes, kernels, pads_total, dilations) -> None:
    """Raise if the dilated kernel does not fit into the padded input.

    ``sizes``, ``kernels``, ``pads_total`` and ``dilations`` are tuples with
    one entry per spatial dimension; the message is 1-D or 2-D accordingly.
    """
    padded = [s + p for s, p in zip(sizes, pads_total)]
    if any(d * (k - 1) + 1 > n for k, d, n in zip(kernels, dilations, padded)):
        raise ValueError(
            f"{_kernel_text(kernels, dilations)} is larger than padded input "
            f"{_dims(padded)}"
        )


def _check_conv_args(sizes, kernels, strides, pads, dilations) -> None:
    _check_positive(sizes, "input size")
    _check_positive(kernels, "kernel size")
    _check_positive(strides, "stride")
    _check_positive(dilations, "dilation")
    _check_non_negative(pads, "padding")


def _check_pool_args(sizes, kernels, strides, pads, dilations) -> None:
    """PyTorch's pooling checks, in PyTorch's order."""
    _check_conv_args(sizes, kernels, strides, pads, dilations)
    for k, p, d in zip(kernels, pads, dilations):
        # torch: pad <= ((kernel - 1) * dilation + 1) / 2
        if p > ((k - 1) * d + 1) // 2:
            raise ValueError(
                "pad should be at most half of effective kernel size, but got "
                f"pad={p}, kernel_size={k} and dilation={d}"
            )
    for k, p in zip(kernels, pads):
        # torch's pool2d_shape_check additionally demands pad <= kernel / 2
        # (undilated), which is stricter when dilation > 1.
        if p > k // 2:
            raise ValueError(
                "pad should be smaller than or equal to half of kernel size, "
                f"but got pad={p}, kernel_size={k}"
            )


# ------------------------------------------------------------ the formulas


def _conv_formula(size, kernel, stride, padding_total, dilation) -> int:
    return (size + padding_total - dilation * (kernel - 1) - 1) // stride + 1


def _conv_transpose_formula(size, kernel, stride, padding, output_padding, dilation) -> int:
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _pool_formula(size, kernel, stride, padding, dilation, ceil_mode) -> int:
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    # ceil_mode: the last window must start inside the input or left padding
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def conv_output_size(size, kernel, stride=1, padding=0, dilation=1) -> int:
    """Output length of a convolution along one dimension.

    ``floor((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1``.

    Raises
    ------
    ValueError
        If an argument is out of range or the dilated kernel is longer than
        the padded input (e.g. "kernel size 5 (dilated 9) is larger than
        padded input 7").
    """
    size, kernel, stride, padding, dilation = (
        _int(size, "size"), _int(kernel, "kernel"), _int(stride, "stride"),
        _int(padding, "padding"), _int(dilation, "dilation"))
    _check_conv_args((size,), (kernel,), (stride,), (padding,), (dilation,))
    _check_fits((size,), (kernel,), (2 * padding,), (dilation,))
    return _conv_formula(size, kernel, stride, 2 * padding, dilation)


def _check_output_padding(output_paddings, strides, dilations) -> None:
    _check_non_negative(output_paddings, "output_padding")
    for op, s, d in zip(output_paddings, strides, dilations):
        if not (op < s or op < d):
            raise ValueError(
                "output padding must be smaller than either stride or dilation, "
                f"but got output_padding={op}, stride={s} and dilation={d}"
            )


def conv_transpose_output_size(size, kernel, stride=1, padding=0, output_padding=0,
                               dilation=1) -> int:
    """Output length of a transposed convolution along one dimension.

    ``(size-1)*stride - 2*padding + dilation*(kernel-1) + output_padding + 1``.

    Raises
    ------
    ValueError
        If an argument is out of range, ``output_padding`` is not smaller
        than ``stride`` or ``dilation``, or the result is below 1.
    """
    size, kernel, stride, padding, output_padding, dilation = (
        _int(size, "size"), _int(kernel, "kernel"), _int(stride, "stride"),
        _int(padding, "padding"), _int(output_padding, "output_padding"),
        _int(dilation, "dilation"))
    _check_conv_args((size,), (kernel,), (stride,), (padding,), (dilation,))
    _check_output_padding((output_padding,), (stride,), (dilation,))
    out = _conv_transpose_formula(size, kernel, stride, padding, output_padding, dilation)
    if out < 1:
        raise ValueError(f"calculated output size {out} is too small (input size {size})")
    return out


def pool_output_size(size, kernel, stride=None, padding=0, dilation=1,
                     ceil_mode=False) -> int:
    """Output length of max/avg pooling along one dimension (PyTorch rules).

    ``stride=None`` means ``stride=kernel``.  Padding may be at most half the
    (effective) kernel.  With ``ceil_mode`` the division rounds up, but a
    window that would start beyond the input plus left padding is dropped;
    the last window may run past the padded end (PyTorch even allows a
    kernel longer than the padded input then, e.g. size 1, kernel 2).

    Raises
    ------
    ValueError
        On invalid arguments or when the output would be empty.
    """
    size, kernel, padding, dilation = (
        _int(size, "size"), _int(kernel, "kernel"), _int(padding, "padding"),
        _int(dilation, "dilation"))
    stride = kernel if stride is None else _int(stride, "stride")
    _check_pool_args((size,), (kernel,), (stride,), (padding,), (dilation,))
    out = _pool_formula(size, kernel, stride, padding, dilation, bool(ceil_mode))
    if out < 1:
        _check_fits((size,), (kernel,), (2 * padding,), (dilation,))
    return out


def same_padding(kernel, dilation=1) -> tuple[int, int]:
    """PyTorch's ``padding='same'`` split for one dimension.

    Total padding is ``dilation*(kernel-1)``; the extra pixel of an odd total
    goes after (right/bottom).

    Returns
    -------
    (before, after)
    """
    kernel, dilation = _int(kernel, "kernel"), _int(dilation, "dilation")
    _check_positive((kernel,), "kernel size")
    _check_positive((dilation,), "dilation")
    total = dilation * (kernel - 1)
    before = total // 2
    return before, total - before


def tf_output_size(size, kernel, stride=1, dilation=1, padding="SAME") -> tuple[int, int, int]:
    """TensorFlow's output length and implicit padding along one dimension.

    'SAME': ``out = ceil(size/stride)`` and total padding
    ``max((out-1)*stride + dilation*(kernel-1) + 1 - size, 0)``, split with
    the extra pixel after.  'VALID': ``out = ceil((size - dilation*(kernel-1))
    / stride)`` and no padding.

    Returns
    -------
    (out, pad_before, pad_after)
    """
    size, kernel, stride, dilation = (
        _int(size, "size"), _int(kernel, "kernel"), _int(stride, "stride"),
        _int(dilation, "dilation"))
    _check_conv_args((size,), (kernel,), (stride,), (0,), (dilation,))
    mode = padding.upper() if isinstance(padding, str) else padding
    effective = dilation * (kernel - 1) + 1
    if mode == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + effective - size, 0)
        return out, total // 2, total - total // 2
    if mode == "VALID":
        _check_fits((size,), (kernel,), (0,), (dilation,))
        return -(-(size - effective + 1) // stride), 0, 0
    raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")


# ------------------------------------------------------------ 2-D wrappers


def conv2d_padding(kernel_size, padding=0, stride=1, dilation=1):
    """Resolve a conv2d ``padding`` argument to explicit amounts.

    Parameters
    ----------
    padding : int, pair, 'valid' or 'same'
        'same' needs ``stride == 1`` (as in PyTorch); even effective kernels
        get the extra pixel at the bottom/right.

    Returns
    -------
    ((top, bottom), (left, right))
    """
    kh, kw = pair(kernel_size, "kernel_size")
    sh, sw = pair(stride, "stride")
    dh, dw = pair(dilation, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if (sh, sw) != (1, 1):
                raise ValueError("padding='same' is not supported for strided convolutions")
            return same_padding(kh, dh), same_padding(kw, dw)
        raise ValueError(
            f"padding must be 'valid', 'same', an int or a pair of ints, got {padding!r}")
    ph, pw = pair(padding, "padding")
    _check_non_negative((ph, pw), "padding")
    return (ph, ph), (pw, pw)


def conv2d_output_hw(hw, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """``(H', W')`` of ``conv2d``; ``padding`` may be int, pair, 'valid' or 'same'."""
    h, w = pair(hw, "input size")
    k, s, d = pair(kernel_size, "kernel_size"), pair(stride, "stride"), pair(dilation, "dilation")
    (pt, pb), (pl, pr) = conv2d_padding(k, padding, s, d)
    _check_conv_args((h, w), k, s, (pt, pl, pb, pr), d)
    totals = (pt + pb, pl + pr)
    _check_fits((h, w), k, totals, d)
    return tuple(_conv_formula(n, kk, ss, pp, dd)
                 for n, kk, ss, pp, dd in zip((h, w), k, s, totals, d))


def conv_transpose2d_output_hw(hw, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1) -> tuple[int, int]:
    """``(H', W')`` of ``conv_transpose2d``."""
    h, w = pair(hw, "input size")
    k, s = pair(kernel_size, "kernel_size"), pair(stride, "stride")
    p, op = pair(padding, "padding"), pair(output_padding, "output_padding")
    d = pair(dilation, "dilation")
    _check_conv_args((h, w), k, s, p, d)
    _check_output_padding(op, s, d)
    out = tuple(_conv_transpose_formula(*args) for args in zip((h, w), k, s, p, op, d))
    if min(out) < 1:
        raise ValueError(
            f"calculated output size {_dims(out)} is too small (input size {h}x{w})")
    return out


@dataclass(frozen=True)
class ConvGeometry:
    """Where the windows of a 2-D convolution lie, resolved once for all its passes.

    The forward pass, its backward pass and the loop version of ``conv2d`` (and
    of ``conv_transpose2d``) all take their sizes from one of these, built by
    :func:`conv2d_geometry` or :func:`conv_transpose2d_geometry`.
    """

    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    #: ``((top, bottom), (left, right))``: zeros added around the input of a
    #: convolution; rows and columns cropped from the canvas of a transposed one.
    padding: tuple[tuple[int, int], tuple[int, int]]
    #: ``(H', W')`` of the result.
    out_hw: tuple[int, int]

    def padded_hw(self, hw) -> tuple[int, int]:
        """``hw`` with the padding added: the padded input, or a transposed convolution's canvas."""
        (top, bottom), (left, right) = self.padding
        return hw[0] + top + bottom, hw[1] + left + right


def conv2d_geometry(hw, kernel_size, stride=1, padding=0, dilation=1) -> ConvGeometry:
    """The :class:`ConvGeometry` of ``conv2d`` on an ``hw`` input (checks every argument).

    >>> g = conv2d_geometry((7, 6), 3, stride=2, padding="valid")
    >>> g.padding, g.out_hw
    (((0, 0), (0, 0)), (3, 2))
    """
    args = (hw, kernel_size, stride, padding, dilation)
    plain = all(_plain(a) for a in args)  # hashable, and equal only to the same values
    if plain:
        geo = _GEOMETRIES.get(args)
        if geo is not None:
            return geo
    k, s, d = pair(kernel_size, "kernel_size"), pair(stride, "stride"), pair(dilation, "dilation")
    out_hw = conv2d_output_hw(hw, k, s, padding, d)
    geo = ConvGeometry(k, s, d, conv2d_padding(k, padding, s, d), out_hw)
    if plain:
        if len(_GEOMETRIES) >= 4096:  # bounded: a long run of distinct layers starts over
            _GEOMETRIES.clear()
        _GEOMETRIES[args] = geo
    return geo


#: conv2d_geometry's results for arguments made of Python ints, strs and tuples of ints
#: (a network's forward pass asks for the same few geometries again and again; the
#: checks cost more than many layers' arithmetic).
_GEOMETRIES: dict = {}


def _plain(value) -> bool:
    """An int, a str, or a tuple of ints: ``==`` between two such values means the same
    argument (unlike True == 1 or 1.0 == 1), so they can key a cache of checked results."""
    kind = type(value)
    return kind is int or kind is str or (kind is tuple and all(type(v) is int for v in value))


def conv_transpose2d_geometry(hw, kernel_size, stride=1, padding=0, output_padding=0,
                              dilation=1) -> ConvGeometry:
    """The :class:`ConvGeometry` of ``conv_transpose2d`` on an ``hw`` input.

    ``padding`` is cropped from every border of the canvas that the kernel
    stamps fill; ``out_hw`` already counts ``output_padding``.
    """
    k, s, d = pair(kernel_size, "kernel_size"), pair(stride, "stride"), pair(dilation, "dilation")
    out_hw = conv_transpose2d_output_hw(hw, k, s, padding, output_padding, d)
    ph, pw = pair(padding, "padding")
    return ConvGeometry(k, s, d, ((ph, ph), (pw, pw)), out_hw)


def pool2d_output_hw(hw, kernel_size, stride=None, padding=0, dilation=1,
                     ceil_mode=False) -> tuple[int, int]:
    """``(H', W')`` of ``max_pool2d``/``avg_pool2d`` (PyTorch rules)."""
    h, w = pair(hw, "input size")
    k = pair(kernel_size, "kernel_size")
    s = k if stride is None else pair(stride, "stride")
    p, d = pair(padding, "padding"), pair(dilation, "dilation")
    _check_pool_args((h, w), k, s, p, d)
    out = tuple(_pool_formula(n, kk, ss, pp, dd, bool(ceil_mode))
                for n, kk, ss, pp, dd in zip((h, w), k, s, p, d))
    if min(out) < 1:
        _check_fits((h, w), k, (2 * p[0], 2 * p[1]), d)
    return out


def adaptive_pool2d_output_hw(hw, output_size) -> tuple[int, int]:
    """``(H', W')`` of adaptive pooling; ``None`` entries keep the input size."""
    h, w = pair(hw, "input size")
    _check_positive((h, w), "input size")
    if output_size is None:
        raise ValueError("output_size must be an int or a pair of ints or None, got None")
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(n if o is None else o for o, n in zip(output_size, (h, w)))
    out = pair(output_size, "output_size")
    _check_positive(out, "output_size")
    return out


def _adaptive_bounds(size: int, out: int, i: int) -> tuple[int, int]:
    """PyTorch's adaptive window ``[floor(i*size/out), ceil((i+1)*size/out))``."""
    return (i * size) // out, -(-((i + 1) * size) // out)
