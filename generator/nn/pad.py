"""``pad``: constant, reflect, replicate and circular padding (PyTorch rules)."""

from __future__ import annotations

import numpy as np

from .shapes import _is_int

__all__ = ["pad"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _pairs(pad, ndim: int) -> list[tuple[int, int]]:
    """Turn torch's flat pad tuple (last dim first) into (before, after) per dim.

    Returns one pair per padded dimension, in array order (first padded dim
    first), for the trailing ``len(pad) // 2`` dimensions.
    """
    if not isinstance(pad, (tuple, list)) or not all(_is_int(p) for p in pad):
        raise ValueError(f"pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ValueError(f"Padding length must be divisible by 2, got {len(pad)} values")
    if len(pad) // 2 > ndim:
        raise ValueError(
            f"Padding length too large: {len(pad)} values pad {len(pad) // 2} dimensions "
            f"of a {ndim}-D input")
    flat = [int(p) for p in pad]
    # (left, right, top, bottom, ...) -> [..., (top, bottom), (left, right)]
    return [(flat[2 * k], flat[2 * k + 1]) for k in range(len(flat) // 2)][::-1]


def _source_index(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """Input index that each output position along one dimension reads."""
    idx = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(idx, 0, size - 1)
    if mode == "reflect":
        period = 2 * (size - 1)
        if period == 0:
            return np.zeros_like(idx)
        idx = np.mod(idx, period)
        return np.where(idx >= size, period - idx, idx)
    # circular, PyTorch style: negative pads crop first, then wrap the rest
    lo, hi = max(-before, 0), size - max(-after, 0)
    kept = hi - lo
    if kept < 1 or max(before, 0) > kept or max(after, 0) > kept:
        raise ValueError(
            f"circular padding ({before}, {after}) wraps around more than once "
            f"(input size {size})")
    return lo + np.mod(np.arange(-max(before, 0), kept + max(after, 0)), kept)


def pad(input, pad, mode: str = "constant", value: float = 0.0) -> np.ndarray:
    """Pad the trailing dimensions of an array like ``torch.nn.functional.pad``.

    Parameters
    ----------
    input : array of any shape (for ``constant``); for the other modes
        (C, W) / (N, C, W), (C, H, W) / (N, C, H, W) or the 5-D analogue.
    pad : tuple of ints
        ``(left, right)``, ``(left, right, top, bottom)``, ... : the last
        dimension first.  Negative values crop.
    mode : {'constant', 'reflect', 'replicate', 'circular'}
    value : fill value for ``constant``.

    Returns
    -------
    ndarray with the input's dtype; e.g. (N, C, H + top + bottom,
    W + left + right) for a 4-tuple.

    Raises
    ------
    ValueError
        On a bad pad tuple, an unsupported mode/rank combination, reflect
        padding not smaller than the dimension, circular padding wrapping
        more than once, or an output dimension below 1.
    """
    x = np.asarray(input)
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {', '.join(_MODES)}; got {mode!r}")
    pairs = _pairs(pad, x.ndim)
    k = len(pairs)
    if mode != "constant" and not (1 <= k <= 3 and x.ndim in (k + 1, k + 2)):
        raise ValueError(
            f"{mode} padding of {k} dimension(s) needs a {k + 1}-D or {k + 2}-D input, "
            f"got a {x.ndim}-D input")
    lead = x.ndim - k
    sizes = x.shape[lead:]
    for axis, (size, (before, after)) in enumerate(zip(sizes, pairs), start=lead):
        if size + before + after < 1:
            raise ValueError(
                f"padding ({before}, {after}) of dimension {axis} (size {size}) leaves "
                f"output size {size + before + after}; it must be at least 1")
        if mode == "constant" and size - max(-before, 0) - max(-after, 0) < 0:
            raise ValueError(
                f"padding ({before}, {after}) crops more than the {size} elements of "
                f"dimension {axis}")
        if mode == "reflect" and (before >= size or after >= size):
            raise ValueError(
                f"reflect padding must be smaller than the padded dimension, but got "
                f"padding ({before}, {after}) at dimension {axis} of input shape {x.shape}")
    if mode == "constant":
        out_shape = x.shape[:lead] + tuple(s + b + a for s, (b, a) in zip(sizes, pairs))
        out = np.full(out_shape, value, dtype=x.dtype)
        src = tuple(slice(max(-b, 0), s - max(-a, 0)) for s, (b, a) in zip(sizes, pairs))
        dst = tuple(slice(max(b, 0), max(b, 0) + (sl.stop - sl.start))
                    for sl, (b, a) in zip(src, pairs))
        out[(Ellipsis,) + dst] = x[(Ellipsis,) + src]
        return out
    index = [_source_index(s, b, a, mode) for s, (b, a) in zip(sizes, pairs)]
    # open mesh over the padded dims: x[..., idx_h[:, None], idx_w[None, :]]
    return x[(Ellipsis,) + np.ix_(*index)]
