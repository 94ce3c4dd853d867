"""Vectorised ``conv2d`` and ``conv_transpose2d`` (im2col + one matrix product)."""

from __future__ import annotations

import numpy as np

from .arrays import unbatch
from .conv_checks import conv_operands, zero_pad_hw
from .shapes import conv2d_geometry, conv_transpose2d_geometry
from .windows import col2im, flat_im2col, im2col, unflatten

__all__ = ["conv2d", "conv_transpose2d"]


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, like ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    input : array of shape (N, C, H, W) or (C, H, W)
    weight : array of shape (F, C // groups, KH, KW)
    bias : None or array of shape (F,)
    stride, dilation : int or (int, int)
    padding : int, (int, int), 'valid' or 'same'
        'same' needs stride 1; an odd total padding puts the extra pixel at
        the bottom/right, as PyTorch does.
    groups : int dividing C and F

    Returns
    -------
    ndarray of shape (N, F, H', W') (or (F, H', W')) in the input's float
    dtype, with ``H' = floor((H + pad_top + pad_bottom - DH*(KH-1) - 1) / SH) + 1``
    and likewise for W' (see :func:`generator.nn.shapes.conv2d_output_hw`).
    """
    x, unbatched, w, b, groups = conv_operands(input, weight, bias, groups, "conv2d")
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    geo = conv2d_geometry((h, wd), (kh, kw), stride, padding, dilation)
    (top, bottom), (left, right) = geo.padding
    (oh, ow), stride, dilation = geo.out_hw, geo.stride, geo.dilation
    xp = zero_pad_hw(x, top, bottom, left, right)  # (N, C, Hp, Wp)
    wm = w.reshape(groups, f // groups, cg * kh * kw)  # (F, Cg, KH, KW) -> (G, F/G, Cg*KH*KW)
    if groups > 1 and stride == (1, 1):
        # grouped/depthwise: the im2col copy dominates, so use the faster flat layout
        cols = flat_im2col(xp, (kh, kw), dilation, (oh, ow), groups)  # (N, G, Cg*KH*KW, Q)
        out = np.matmul(wm, cols)  # (G, F/G, Cg*KK) @ (N, G, Cg*KK, Q) -> (N, G, F/G, Q)
        out = unflatten(out.reshape(n, f, -1), (oh, ow), xp.shape[3])  # -> (N, F, OH, OW)
    else:
        cols = im2col(xp, (kh, kw), stride, dilation, (oh, ow), groups)  # (N, G, Cg*KH*KW, OH*OW)
        out = np.matmul(wm, cols)  # (G, F/G, Cg*KK) @ (N, G, Cg*KK, OH*OW) -> (N, G, F/G, OH*OW)
        out = out.reshape(n, f, oh, ow)  # (N, G, F/G, OH*OW) -> (N, F, OH, OW)
    if b is not None:
        out += b[:, None, None]  # (F,) -> (F, 1, 1) broadcast
    return unbatch(out, unbatched)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """Transposed 2-D convolution, like ``torch.nn.functional.conv_transpose2d``.

    Computed as the adjoint of :func:`conv2d`: one matrix product turns every
    input pixel into a weighted copy of the kernel, and col2im adds the
    copies into an output canvas, from which ``padding`` is cropped.

    Parameters
    ----------
    input : array of shape (N, C, H, W) or (C, H, W)
    weight : array of shape (C, F // groups, KH, KW)
    bias : None or array of shape (F,)
    stride, padding, output_padding, dilation : int or (int, int)
        ``output_padding`` must be smaller than stride or dilation.

    Returns
    -------
    ndarray of shape (N, F, H', W') with
    ``H' = (H-1)*SH - 2*PH + DH*(KH-1) + OPH + 1`` (likewise W').
    """
    x, unbatched, w, b, groups = conv_operands(
        input, weight, bias, groups, "conv_transpose2d", transposed=True)
    n, c, h, wd = x.shape
    _, fg, kh, kw = w.shape
    geo = conv_transpose2d_geometry((h, wd), (kh, kw), stride, padding, output_padding, dilation)
    ((ph, _), (pw, _)), (oh, ow) = geo.padding, geo.out_hw
    cg = c // groups
    wm = w.reshape(groups, cg, fg * kh * kw)  # (C, F/G, KH, KW) -> (G, C/G, F/G*KH*KW)
    xg = x.reshape(n, groups, cg, h * wd)  # (N, C, H, W) -> (N, G, C/G, H*W)
    cols = np.matmul(wm.transpose(0, 2, 1), xg)  # (G, F/G*KK, C/G) @ (N, G, C/G, HW) -> (N, G, F/G*KK, HW)
    cols = cols.reshape(n, groups * fg, kh, kw, h, wd)  # -> (N, F, KH, KW, H, W)
    # the uncropped output: every stamp fits, plus the output_padding rows/cols
    canvas = col2im(cols, geo.padded_hw((oh, ow)), geo.stride, geo.dilation)  # (N, F, H'+2PH, W'+2PW)
    out = np.ascontiguousarray(canvas[:, :, ph : ph + oh, pw : pw + ow])  # crop -> (N, F, H', W')
    if b is not None:
        out += b[:, None, None]  # (F,) -> (F, 1, 1) broadcast
    return unbatch(out, unbatched)
