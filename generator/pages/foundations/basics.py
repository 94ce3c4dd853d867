"""Topics about what a convolution is: images as tensors, dense vs conv, the
sliding dot product, edge detection."""

from __future__ import annotations

import inspect

import numpy as np

from ... import nn, text
from ...figures import catalog
from ...nn import naive
from ...tables import counts
from .. import snippets
from . import teaching

#: The worked examples' inputs live with the figures that draw them, so a page and its
#: figure cannot show different matrices.
VERTICAL_EDGE_IMAGE = np.array(catalog.STEP_IMAGE, dtype=float)
VERTICAL_FILTER = np.array(catalog.VERTICAL, dtype=float)
COURSE_MATRIX = np.array(catalog.NOTES_MATRIX, dtype=float)


def _conv(image: np.ndarray, kernel: np.ndarray, **kw) -> np.ndarray:
    """A single-channel 2-D convolution through generator.nn: (H, W) * (k, k) -> (H', W')."""
    return nn.conv2d(image[None, None], kernel[None, None], **kw)[0, 0]


def _dot_terms(image: np.ndarray, kernel: np.ndarray, i: int, j: int) -> dict:
    """The products that make output (i, j) of a stride-1 convolution, for writing out."""
    k = kernel.shape[0]
    window = image[i:i + k, j:j + k]
    terms = [{"x": x, "w": w} for x, w in zip(window.ravel(), kernel.ravel())]
    return {"i": i, "j": j, "window": window, "terms": terms,
            "value": _conv(image, kernel)[i, j]}


def images_as_tensors() -> dict:
    rgb = np.arange(12).reshape(2, 2, 3)          # (H, W, C): a 2x2 image, 3 channels
    chw = np.transpose(rgb, (2, 0, 1))            # (H, W, C) -> (C, H, W)
    return {
        "hwc": rgb, "chw": chw,
        "channels": [{"name": n, "plane": chw[c]} for c, n in enumerate(("red", "green", "blue"))],
        "flat_hwc": rgb.reshape(-1), "flat_chw": nn.flatten(chw),
        "cifar": {"shape": (3, 32, 32), "size": int(np.prod((3, 32, 32)))},
        "u8_max": int(np.iinfo(np.uint8).max),
        "code": snippets.run("images_as_tensors"),
    }


def fully_connected_vs_convolution() -> dict:
    image, filt = (3, 32, 32), (3, 5, 5)   # (C, H, W) and (C, KH, KW)
    n_in = int(np.prod(image))
    dense_w, dense_b = counts.linear_params(n_in, 10)
    conv_w, conv_b = counts.conv2d_params(filt[0], 10, filt[1:])
    out_hw = nn.conv2d_output_hw(image[1:], filt[1:], padding=2)
    n_out = out_hw[0] * out_hw[1] * 10
    same_w, same_b = counts.linear_params(n_in, n_out)
    return {
        "n_in": n_in, "dense": {"w": dense_w, "b": dense_b, "total": dense_w + dense_b},
        "conv": {"w": conv_w, "b": conv_b, "total": conv_w + conv_b, "hw": out_hw,
                 "out": (10, *out_hw)},
        "image": image, "filter": filt, "layout": text.SHAPE_LAYOUT,
        "same": {"n_out": n_out, "w": same_w, "b": same_b, "total": same_w + same_b,
                 # the exact ratio, to one decimal (41,404.6, not a floored 41,404)
                 "ratio": f"{(same_w + same_b) / (conv_w + conv_b):,.1f}"},
        "conv_macs": counts.conv2d_macs(filt[0], 10, filt[1:], out_hw),
        "same_macs": counts.linear_macs(n_in, n_out),
        "code": snippets.run("fully_connected_vs_convolution"),
    }


def convolution() -> dict:
    image = np.array(catalog.SMALL_7X7, dtype=float)
    kernel = np.array(catalog.DUMOULIN_KERNEL, dtype=float)
    out = _conv(image, kernel)
    return {
        "image": image, "kernel": kernel, "out": out, "size": out.shape[0],
        "steps": [_dot_terms(image, kernel, 0, 0), _dot_terms(image, kernel, 0, 1),
                  _dot_terms(image, kernel, 2, 3)],
        "naive_source": inspect.getsource(naive.conv2d),
        "teaching_source": inspect.getsource(teaching.corr2d),
        "teaching_equal": bool(np.array_equal(teaching.corr2d(image, kernel), out)),
        "code": snippets.run("convolution"),
    }


def edge_detection() -> dict:
    sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)
    return {
        "image": VERTICAL_EDGE_IMAGE, "kernel": VERTICAL_FILTER,
        "edges": (edges := _conv(VERTICAL_EDGE_IMAGE, VERTICAL_FILTER)),
        "band": int(np.count_nonzero(edges[0])),
        "flipped": _conv(VERTICAL_EDGE_IMAGE[:, ::-1], VERTICAL_FILTER),
        "matrix": COURSE_MATRIX, "matrix_out": _conv(COURSE_MATRIX, VERTICAL_FILTER),
        "first": _dot_terms(COURSE_MATRIX, VERTICAL_FILTER, 0, 0),
        "horizontal": VERTICAL_FILTER.T, "sobel": sobel,
        "code": snippets.run("edge_detection"),
    }
