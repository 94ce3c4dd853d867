"""Backward passes (gradients) of the operators, vectorised for training.

Each function takes the upstream gradient ``grad_output`` (the gradient of
the loss with respect to the operator's output) plus the forward inputs and
returns gradients with respect to the inputs and parameters, in the input's
float dtype.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax
from .arrays import as_batched, cast_like, float_array, unbatch
from .conv_checks import conv_operands, zero_pad_hw
from .pool import avg_divisors, check_divisor, max_pool2d, padded_hw, pool_args
from .shapes import conv2d_geometry, pool2d_output_hw
from .windows import col2im, im2col

__all__ = [
    "conv2d_backward",
    "max_pool2d_backward",
    "avg_pool2d_backward",
    "linear_backward",
    "relu_backward",
    "softmax_cross_entropy",
]


def _grad_like(grad_output, expected_shape, dtype, op: str) -> np.ndarray:
    """Check grad_output against the forward output shape; cast to ``dtype``."""
    g = cast_like(grad_output, dtype, "grad_output")
    if g.shape != tuple(expected_shape):
        raise ValueError(f"{op}: grad_output must have shape {tuple(expected_shape)}, got {g.shape}")
    return g


def conv2d_backward(grad_output, input, weight, stride=1, padding=0, dilation=1, groups=1,
                    need_input=True, columns=None):
    """Gradients of :func:`generator.nn.conv2d` (bias assumed present).

    Parameters
    ----------
    grad_output : (N, F, H', W') (or (F, H', W') for a single image)
    input : (N, C, H, W) (or (C, H, W)); weight : (F, C // groups, KH, KW)
    stride, padding, dilation, groups : as given to ``conv2d``
    need_input : bool
        False skips the input gradient (a network's first layer has no use
        for it), returning None in its place.
    columns : None, or the im2col matrix of ``input`` (N, G, C/G·KH·KW, H'·W') that
        :func:`generator.nn.conv.conv2d_and_columns` returned in the forward pass: used
        instead of copying it again (the same values, so the same gradients).

    Returns
    -------
    grad_input : (N, C, H, W), or None when not ``need_input``
        col2im of ``weight^T @ grad_output`` (a transposed convolution).
    grad_weight : (F, C // groups, KH, KW)
        ``grad_output @ im2col(input)^T`` summed over the batch.
    grad_bias : (F,)
        ``grad_output`` summed over N, H', W'.
    """
    x, unbatched, w, _, groups = conv_operands(input, weight, None, groups, "conv2d_backward")
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    geo = conv2d_geometry((h, wd), (kh, kw), stride, padding, dilation)  # as in the forward pass
    (top, bottom), (left, right) = geo.padding
    (oh, ow), stride, dilation = geo.out_hw, geo.stride, geo.dilation
    go = cast_like(grad_output, x.dtype, "grad_output")
    go = go[np.newaxis] if unbatched and go.ndim == 3 else go  # (F, H', W') -> (1, F, H', W')
    go = _grad_like(go, (n, f, oh, ow), x.dtype, "conv2d_backward")
    fg = f // groups
    gog = go.reshape(n, groups, fg, oh * ow)  # (N, F, H', W') -> (N, G, F/G, H'W')

    xp = zero_pad_hw(x, top, bottom, left, right)  # (N, C, Hp, Wp)
    cols = columns
    if cols is None:
        cols = im2col(xp, (kh, kw), stride, dilation, (oh, ow), groups)  # (N, G, Cg*KK, H'W')
    elif cols.shape != (n, groups, cg * kh * kw, oh * ow):
        raise ValueError(f"conv2d_backward: columns must have shape "
                         f"{(n, groups, cg * kh * kw, oh * ow)}, got {cols.shape}")
    # (N, G, F/G, H'W') @ (N, G, H'W', Cg*KK) -> (N, G, F/G, Cg*KK), summed over N
    if oh * ow == 1:
        # one output position: each product is a single term, so the broadcast product
        # has the matrix product's bits (the sum over images starts from +0.0, so a -0.0
        # product ends +0.0 as BLAS gives it), without a BLAS call per image (LeNet-5's C5)
        grad_w = (gog * cols.transpose(0, 1, 3, 2)).sum(axis=0)
    else:
        grad_w = np.matmul(gog, cols.transpose(0, 1, 3, 2)).sum(axis=0)
    grad_w = grad_w.reshape(f, cg, kh, kw)  # (G, F/G, Cg*KK) -> (F, Cg, KH, KW)

    grad_b = go.sum(axis=(0, 2, 3))  # (N, F, H', W') -> (F,)
    if not need_input:
        return None, grad_w, grad_b
    wm = w.reshape(groups, fg, cg * kh * kw)  # (F, Cg, KH, KW) -> (G, F/G, Cg*KK)
    dcols = np.matmul(wm.transpose(0, 2, 1), gog)  # (G, Cg*KK, F/G) @ (N, G, F/G, H'W') -> (N, G, Cg*KK, H'W')
    dcols = dcols.reshape(n, c, kh, kw, oh, ow)  # -> (N, C, KH, KW, H', W')
    grad_xp = col2im(dcols, xp.shape[2:], stride, dilation)  # (N, C, Hp, Wp)
    grad_x = np.ascontiguousarray(grad_xp[:, :, top : top + h, left : left + wd])  # crop padding
    return unbatch(grad_x, unbatched), grad_w, grad_b


def max_pool2d_backward(grad_output, input, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    """Gradient of :func:`generator.nn.max_pool2d` with respect to its input.

    Each output's gradient goes to the element that was the maximum
    (overlapping windows add up).  Pass the forward ``indices`` to skip
    recomputing them.

    Parameters
    ----------
    grad_output : (N, C, H', W'); input : (N, C, H, W) (or unbatched 3-D)
    indices : None or int array (N, C, H', W') from ``return_indices=True``

    Returns
    -------
    grad_input : (N, C, H, W)
    """
    x, unbatched = as_batched(input, "max_pool2d_backward")
    n, c, h, w = x.shape
    if indices is None:
        _, indices = max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, True)
    else:
        k, s, p, d = pool_args(kernel_size, stride, padding, dilation)
        out_hw = pool2d_output_hw((h, w), k, s, p, d, ceil_mode)
        indices = np.asarray(indices)
        # (C, H', W') -> (1, C, H', W') for a single image
        indices = indices[np.newaxis] if unbatched and indices.ndim == 3 else indices
        if indices.shape != (n, c) + tuple(out_hw):
            raise ValueError(
                f"max_pool2d_backward: indices must have shape {(n, c) + tuple(out_hw)}, "
                f"got {indices.shape}")
    go = cast_like(grad_output, x.dtype, "grad_output")
    go = go[np.newaxis] if unbatched and go.ndim == 3 else go  # (C, H', W') -> (1, C, H', W')
    go = _grad_like(go, indices.shape, x.dtype, "max_pool2d_backward")
    valid = (indices >= 0) & (indices < h * w)  # windows of pure padding have no source
    plane = (np.arange(n * c) * (h * w)).reshape(n, c, 1, 1)  # start of each (n, c) plane
    target = (plane + indices)[valid]  # flat positions in the (N*C*H*W,) input
    grad = np.bincount(target, weights=go[valid], minlength=n * c * h * w)  # scatter-add
    grad = grad.astype(x.dtype).reshape(n, c, h, w)  # (N*C*H*W,) -> (N, C, H, W)
    return unbatch(grad, unbatched)


def avg_pool2d_backward(grad_output, input, kernel_size, stride=None, padding=0,
                        ceil_mode=False, count_include_pad=True, divisor_override=None):
    """Gradient of :func:`generator.nn.avg_pool2d` with respect to its input.

    Each output's gradient, divided by that output's divisor, is spread
    evenly over its window (col2im of a constant kernel).

    Returns
    -------
    grad_input : (N, C, H, W) (or (C, H, W))
    """
    x, unbatched = as_batched(input, "avg_pool2d_backward")
    divisor_override = check_divisor(divisor_override)
    k, s, p, _ = pool_args(kernel_size, stride, padding)
    n, c, h, w = x.shape
    oh, ow = pool2d_output_hw((h, w), k, s, p, 1, ceil_mode)
    go = cast_like(grad_output, x.dtype, "grad_output")
    go = go[np.newaxis] if unbatched and go.ndim == 3 else go  # (C, H', W') -> (1, C, H', W')
    go = _grad_like(go, (n, c, oh, ow), x.dtype, "avg_pool2d_backward")
    div = avg_divisors((h, w), (oh, ow), k, s, p, count_include_pad, divisor_override)
    share = go / div.astype(x.dtype)  # (N, C, H', W')
    # every tap of a window receives the same share: (N, C, 1, 1, H', W') -> (N, C, KH, KW, H', W')
    cols = np.broadcast_to(share[:, :, None, None], (n, c) + k + (oh, ow))
    canvas_hw = padded_hw((h, w), k, s, p, (1, 1), (oh, ow))  # as padded in the forward pass
    grad = col2im(cols, canvas_hw, s, (1, 1))  # (N, C, Hp, Wp)
    grad = np.ascontiguousarray(grad[:, :, p[0] : p[0] + h, p[1] : p[1] + w])  # crop padding
    return unbatch(grad, unbatched)


def linear_backward(grad_output, input, weight):
    """Gradients of :func:`generator.nn.linear`.

    Parameters
    ----------
    grad_output : (*, out_features); input : (*, in_features);
    weight : (out_features, in_features)

    Returns
    -------
    grad_input : (*, in_features) = grad_output @ weight
    grad_weight : (out_features, in_features) = grad_output^T @ input
    grad_bias : (out_features,) = grad_output summed over all leading axes
    """
    x = float_array(input)
    w = cast_like(weight, x.dtype, "weight")
    if w.ndim != 2 or x.ndim < 1 or x.shape[-1] != w.shape[1]:
        raise ValueError(
            f"linear_backward: input of shape {x.shape} does not match weight of shape {w.shape}")
    go = _grad_like(grad_output, x.shape[:-1] + (w.shape[0],), x.dtype, "linear_backward")
    go2 = go.reshape(-1, w.shape[0])  # (*, out) -> (M, out)
    x2 = x.reshape(-1, w.shape[1])  # (*, in) -> (M, in)
    # (*, out) @ (out, in) -> (*, in); (out, M) @ (M, in) -> (out, in); (M, out) -> (out,)
    return go @ w, go2.T @ x2, go2.sum(axis=0)


def relu_backward(grad_output, input):
    """Gradient of :func:`generator.nn.relu`: ``grad_output * (input > 0)``.

    Any shape; the gradient at exactly 0 is taken as 0, as in PyTorch.
    """
    x = float_array(input)
    go = _grad_like(grad_output, x.shape, x.dtype, "relu_backward")
    return np.where(x > 0, go, np.zeros((), dtype=go.dtype))


def softmax_cross_entropy(logits, targets):
    """Mean cross-entropy of softmax(logits) against integer class targets.

    Parameters
    ----------
    logits : (N, K) scores
    targets : (N,) ints in [0, K)

    Returns
    -------
    loss : scalar of the logits' float dtype,
        ``mean_n(-log softmax(logits)[n, targets[n]])``
    grad_logits : (N, K) = ``(softmax(logits) - onehot(targets)) / N``
    """
    z = float_array(logits, "logits")
    if z.ndim != 2 or z.shape[0] < 1 or z.shape[1] < 1:
        raise ValueError(f"softmax_cross_entropy: logits must have shape (N, K), got {z.shape}")
    t = np.asarray(targets)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"softmax_cross_entropy: targets must be integers, got dtype {t.dtype}")
    n, k = z.shape
    if t.shape != (n,):
        raise ValueError(f"softmax_cross_entropy: targets must have shape ({n},), got {t.shape}")
    bad = t[(t < 0) | (t >= k)]
    if bad.size:
        raise ValueError(f"target {bad[0]} is out of bounds for {k} classes")
    logp = log_softmax(z, 1)  # (N, K)
    rows = np.arange(n)
    loss = -logp[rows, t].mean()
    grad = np.exp(logp)  # softmax, (N, K)
    grad[rows, t] -= 1
    grad /= n
    return z.dtype.type(loss), grad
