"""Vectorised ``conv2d`` and ``conv_transpose2d``, with the algorithm chosen by shape.

``conv2d`` runs one of (see :func:`conv2d_algorithm`):

* ``"matmul"``: a 1×1 kernel without padding or groups is already a matrix
  product of the weights with the (strided) input, no im2col (one product:
  split by columns or rows, which keeps its bits with OpenBLAS, so that a batch
  norm and ReLU6 could run on each block in cache, MobileNetV2's 1×1 layers
  took 1.0–3.6× the time of one product and whole-array passes);
* ``"winograd"``: 3×3, stride 1, dilation 1, groups 1 with at least
  ``WINOGRAD_MIN_CHANNELS`` channels in and out and ``WINOGRAD_MIN_OUTPUTS``
  output pixels, by F(2×2, 3×3) (:mod:`generator.nn.winograd`);
* ``"depthwise"``: groups == in_channels (any channel multiplier
  out_channels / in_channels), by channel blocks copied straight from the
  unpadded input (stride by phase planes), see :mod:`generator.nn.depthwise`;
* ``"grouped"``: other groups > 1 at stride 1, im2col from the flattened rows;
* ``"banded"``: other groups-1 layers with at least ``BANDED_MIN_OUTPUTS``
  output pixels (VGG's first layer, ResNet's 7×7 stride-2 stem): im2col and
  the product one band of output rows at a time, the bias added while the
  band is in cache; a strided layer copies its bands from the stride phases
  of the input, split once;
* ``"phase"``: other groups-1 layers at stride > 1, im2col copied from the stride phases
  of the input (:func:`generator.nn.windows.phase_im2col`);
* ``"im2col"``: everything else, im2col + one matrix product.

``conv_transpose2d`` uses sub-pixel decomposition (:mod:`generator.nn.subpixel`)
for groups 1 and dilation 1 when ``in_channels * out_channels`` reaches
``SUBPIXEL_MIN_CHANNELS``, the adjoint (col2im) form otherwise. The paths the
small trained networks of the site take (LeNet-5, the digit autoencoder) give
the same bits as before the dispatch: they stay on ``"im2col"``/col2im, or
(strided convolutions) get the identical im2col matrix from ``"phase"``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .arrays import per_channel, unbatch
from .conv_checks import conv_operands, zero_pad_hw
from .depthwise import depthwise_conv2d
from .shapes import conv2d_geometry, conv_transpose2d_geometry
from .subpixel import subpixel_conv_transpose2d
from .windows import (col2im, flat_im2col, im2col, phase_im2col, phase_planes, unflatten,
                      window_view)
from .winograd import winograd_conv3x3

__all__ = ["conv2d", "conv2d_and_columns", "conv_transpose2d", "conv2d_algorithm",
           "conv_transpose2d_algorithm"]

#: Winograd pays for its transforms from this many input and output channels ...
WINOGRAD_MIN_CHANNELS = 64
#: ... and this many output pixels: below, the 16 matrix products are too thin for the
#: size of the transformed weights (measured: 512 channels at 14×14 ran 1.26× torch's
#: time by Winograd, 1.04–1.09× by im2col).
WINOGRAD_MIN_OUTPUTS = 256
#: Dense stride-1 layers with this many output pixels run im2col in bands of rows ...
BANDED_MIN_OUTPUTS = 4096
#: ... each band's columns about this many bytes, so they are still in cache for the product.
BAND_BYTES = 2**19
#: ... and strided ones (the 7×7 stem) this many (measured for the stem at one thread:
#: 2 MB of columns, 16 output rows, ran 1.13× as fast as 512 KB; the product's share grows).
PHASE_BAND_BYTES = 2**21
#: Sub-pixel transposed convolution from this product of input and output channels.
SUBPIXEL_MIN_CHANNELS = 512


def conv2d_algorithm(in_channels: int, weight_shape, geometry, groups: int) -> str:
    """The algorithm :func:`conv2d` uses for these operands (see the module docstring).

    ``geometry`` is the :class:`generator.nn.shapes.ConvGeometry` of the call.
    """
    f, cg, kh, kw = weight_shape
    stride, dilation, padding = geometry.stride, geometry.dilation, geometry.padding
    (oh, ow) = geometry.out_hw
    if groups == 1 and (kh, kw) == (1, 1) and padding == ((0, 0), (0, 0)):
        return "matmul"
    if (groups == 1 and (kh, kw) == (3, 3) and stride == (1, 1) and dilation == (1, 1)
            and min(in_channels, f) >= WINOGRAD_MIN_CHANNELS and oh * ow >= WINOGRAD_MIN_OUTPUTS):
        return "winograd"
    if groups > 1 and groups == in_channels:
        return "depthwise"
    if groups > 1 and stride == (1, 1):
        return "grouped"
    if groups == 1 and oh * ow >= BANDED_MIN_OUTPUTS:
        return "banded"
    if groups == 1 and stride != (1, 1):
        return "phase"
    return "im2col"


def conv_transpose2d_algorithm(in_channels: int, weight_shape, dilation, groups: int) -> str:
    """``"subpixel"`` or ``"col2im"``: the algorithm :func:`conv_transpose2d` uses."""
    fg = weight_shape[1]
    if groups == 1 and tuple(dilation) == (1, 1) and in_channels * fg >= SUBPIXEL_MIN_CHANNELS:
        return "subpixel"
    return "col2im"


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
    return conv2d_and_columns(input, weight, bias, stride, padding, dilation, groups)[0]


def conv2d_and_columns(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """:func:`conv2d`, and the im2col matrix (N, G, C/G·KH·KW, OH·OW) its path built (the
    ``"im2col"`` and ``"phase"`` paths; None for the others), so that training can hand
    it to :func:`generator.nn.grad.conv2d_backward` instead of copying it again."""
    cols = None
    x, unbatched, w, b, groups = conv_operands(input, weight, bias, groups, "conv2d")
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    geo = conv2d_geometry((h, wd), (kh, kw), stride, padding, dilation)
    (top, bottom), (left, right) = geo.padding
    (oh, ow), stride, dilation = geo.out_hw, geo.stride, geo.dilation
    algorithm = conv2d_algorithm(c, w.shape, geo, groups)
    if algorithm == "matmul":
        # (F, C) @ (N, C, OH*OW) -> (N, F, OH*OW); a stride picks every S-th pixel first
        xs = x if stride == (1, 1) else x[:, :, : (oh - 1) * stride[0] + 1 : stride[0],
                                            : (ow - 1) * stride[1] + 1 : stride[1]]
        xs = np.ascontiguousarray(xs).reshape(n, 1, c, oh * ow)
        out = np.matmul(w.reshape(1, f, c), xs).reshape(n, f, oh, ow)
    elif algorithm == "winograd":
        out = winograd_conv3x3(x, w, geo.padding, b)
        b = None  # added inside
    elif algorithm == "depthwise":
        out = depthwise_conv2d(x, w, stride, dilation, geo.padding, (oh, ow))  # pads as it copies
    else:
        xp = zero_pad_hw(x, top, bottom, left, right)  # (N, C, Hp, Wp)
        wm = w.reshape(groups, f // groups, cg * kh * kw)  # (F, Cg, KH, KW) -> (G, F/G, Cg*KH*KW)
        if algorithm == "banded":
            band = _banded if stride == (1, 1) else _banded_phases
            out = band(xp, w.reshape(f, cg * kh * kw), b, (kh, kw), stride, dilation, (oh, ow))
            b = None  # added inside
        elif algorithm == "grouped":
            # grouped: the im2col copy dominates, so use the faster flat layout
            flat = flat_im2col(xp, (kh, kw), dilation, (oh, ow), groups)  # (N, G, Cg*KH*KW, Q)
            out = np.matmul(wm, flat)  # (G, F/G, Cg*KK) @ (N, G, Cg*KK, Q) -> (N, G, F/G, Q)
            out = unflatten(out.reshape(n, f, -1), (oh, ow), xp.shape[3])  # -> (N, F, OH, OW)
        else:
            if algorithm == "phase":
                cols = phase_im2col(xp, (kh, kw), stride, dilation, (oh, ow))  # (N, 1, C*KK, OH*OW)
            else:
                cols = im2col(xp, (kh, kw), stride, dilation, (oh, ow), groups)  # (N, G, Cg*KK, OH*OW)
            out = np.matmul(wm, cols)  # (G, F/G, Cg*KK) @ (N, G, Cg*KK, OH*OW) -> (N, G, F/G, OH*OW)
            out = out.reshape(n, f, oh, ow)  # (N, G, F/G, OH*OW) -> (N, F, OH, OW)
    if b is not None:
        per_channel(np.add, out, b, out=out)  # (F,) along the channels
    return unbatch(out, unbatched), cols


def _banded(xp, wm, b, kernel, stride, dilation, out_hw):
    """Stride-1 im2col + product, band of output rows by band of output rows.

    xp : (N, C, Hp, Wp) padded; wm : (F, C*KH*KW); returns (N, F, OH, OW) with the bias.
    """
    n, c = xp.shape[:2]
    f = wm.shape[0]
    (kh, kw), dh, (oh, ow) = kernel, dilation[0], out_hw
    rows = max(1, min(oh, BAND_BYTES // (wm.shape[1] * ow * xp.dtype.itemsize)))
    out = np.empty((n, f, oh, ow), dtype=xp.dtype)
    cols = np.empty((c, kh, kw, rows * ow), dtype=xp.dtype)
    for i in range(n):
        for y0 in range(0, oh, rows):
            r = min(oh, y0 + rows) - y0
            v = window_view(xp[i : i + 1, :, y0 : y0 + r + dh * (kh - 1)], kernel, (1, 1),
                            dilation, (r, ow))[0]  # (C, KH, KW, r, OW) view
            band = cols[..., : r * ow]
            band.reshape(c, kh, kw, r, ow)[...] = v  # the copy
            dest = out[i, :, y0 : y0 + r].reshape(f, r * ow)  # a view: rows of one band
            np.matmul(wm, band.reshape(-1, r * ow), out=dest)  # (F, C*KK) @ (C*KK, r*OW)
            if b is not None:
                dest += b[:, None]
    return out


def _banded_phases(xp, wm, b, kernel, stride, dilation, out_hw):
    """:func:`_banded` for a stride > 1 (ResNet's 7×7 stem): the padded image is split
    into its SH·SW phase planes once (as in :func:`generator.nn.windows.phase_im2col`),
    then each band's columns are copied from the planes, one copy per phase.

    xp : (N, C, Hp, Wp) padded; wm : (F, C*KH*KW); returns (N, F, OH, OW) with the bias.
    """
    n, c = xp.shape[:2]
    f = wm.shape[0]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    planes = phase_planes(xp, stride)  # (SH, SW, N, C, Hq, Wq)
    rows = max(1, min(oh, PHASE_BAND_BYTES // (wm.shape[1] * ow * xp.dtype.itemsize)))
    out = np.empty((n, f, oh, ow), dtype=xp.dtype)
    cols = np.empty((c, kh, kw, rows, ow), dtype=xp.dtype)
    for i in range(n):
        for y0 in range(0, oh, rows):
            r = min(oh, y0 + rows) - y0
            band = cols[:, :, :, :r]
            for i0 in range(min(sh, kh)):
                for j0 in range(min(sw, kw)):
                    # taps i0, i0+SH, ... (j0, j0+SW, ...) read one plane, DH (DW) apart
                    a, ry = divmod(i0 * dh, sh)
                    e, rx = divmod(j0 * dw, sw)
                    plane = planes[ry, rx, i, :, a + y0 :, e:]  # (C, rows left, Wq - e)
                    taps = band[:, i0::sh, j0::sw]  # (C, taps, taps, r, OW)
                    sc, sy, sx = plane.strides
                    taps[...] = as_strided(plane, taps.shape, (sc, dh * sy, dw * sx, sy, sx),
                                           writeable=False)
            dest = out[i, :, y0 : y0 + r].reshape(f, r * ow)  # a view: rows of one band
            np.matmul(wm, band.reshape(-1, r * ow), out=dest)  # (F, C*KK) @ (C*KK, r*OW)
            if b is not None:
                dest += b[:, None]
    return out


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
    if conv_transpose2d_algorithm(c, w.shape, geo.dilation, groups) == "subpixel":
        out = subpixel_conv_transpose2d(x, w, geo.stride, (ph, pw), (oh, ow))
        if b is not None:
            per_channel(np.add, out, b, out=out)  # (F,) along the channels
        return unbatch(out, unbatched)
    cg = c // groups
    wm = w.reshape(groups, cg, fg * kh * kw)  # (C, F/G, KH, KW) -> (G, C/G, F/G*KH*KW)
    xg = x.reshape(n, groups, cg, h * wd)  # (N, C, H, W) -> (N, G, C/G, H*W)
    cols = np.matmul(wm.transpose(0, 2, 1), xg)  # (G, F/G*KK, C/G) @ (N, G, C/G, HW) -> (N, G, F/G*KK, HW)
    cols = cols.reshape(n, groups * fg, kh, kw, h, wd)  # -> (N, F, KH, KW, H, W)
    # the uncropped output: every stamp fits, plus the output_padding rows/cols
    canvas = col2im(cols, geo.padded_hw((oh, ow)), geo.stride, geo.dilation)  # (N, F, H'+2PH, W'+2PW)
    out = np.ascontiguousarray(canvas[:, :, ph : ph + oh, pw : pw + ow])  # crop -> (N, F, H', W')
    if b is not None:
        per_channel(np.add, out, b, out=out)  # (F,) along the channels
    return unbatch(out, unbatched)
