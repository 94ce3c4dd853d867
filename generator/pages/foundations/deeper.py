"""Topics past the single layer: residual connections, im2col, backpropagation through a
convolution, depthwise-separable convolution. Every number here is computed."""

from __future__ import annotations

import numpy as np

from ... import nn, text
from ...nn import windows
from ...nn.conv import conv2d_algorithm
from ...specs import load_builtin
from ...tables import counts, formats, layer_table
from .. import snippets

#: Bytes of one float32 value, the dtype the site's networks compute in.
FLOAT32_BYTES = np.dtype(np.float32).itemsize


# ------------------------------------------------------------------ residual connections


def residual_block(a, w1, b1, w2, b2):
    """The notes' block: a[l+2] = g(W2 g(W1 a + b1) + b2 + a), g = ReLU; a: (N, C, H, W)."""
    a1 = nn.relu(nn.conv2d(a, w1, b1, padding=1))
    return nn.relu(nn.conv2d(a1, w2, b2, padding=1) + a)


def _dense_stack(depth, residual, width=64, batch=32, seed=0):
    """Gradient norms at the first layer of ``depth`` ReLU layers (``depth // 2`` blocks of two).

    Every weight is drawn as PyTorch's default ``nn.Linear`` init,
    U(-1/sqrt(width), 1/sqrt(width)), from the same seed for both stacks; the
    gradient arriving at the output has norm 1. Returns
    ``(|dL/da[0]|, |dL/dW[1]|)``: the gradient reaching the input and the first
    layer's weight gradient.
    """
    rng = np.random.default_rng(seed)
    x = nn.relu(rng.standard_normal((batch, width)))
    bound = 1 / np.sqrt(width)
    weights = [rng.uniform(-bound, bound, (width, width)) for _ in range(depth)]
    saved, a = [], x
    for w1, w2 in zip(weights[0::2], weights[1::2]):
        z1 = nn.linear(a, w1)
        h = nn.relu(z1)
        s = nn.linear(h, w2) + (a if residual else 0)  # the skip adds a[l] before g
        saved.append((a, z1, h, s))
        a = nn.relu(s)
    g = np.random.default_rng(seed + 1).standard_normal(a.shape)
    g /= np.linalg.norm(g)
    for (w1, w2), (a_in, z1, h, s) in zip(reversed(list(zip(weights[0::2], weights[1::2]))), reversed(saved)):
        gs = nn.relu_backward(g, s)
        gh, _, _ = nn.linear_backward(gs, h, w2)
        ga, gw1, _ = nn.linear_backward(nn.relu_backward(gh, z1), a_in, w1)
        g = ga + gs if residual else ga  # the skip passes the gradient on unchanged
    return float(np.linalg.norm(g)), float(np.linalg.norm(gw1))


def residual() -> dict:
    rng = np.random.default_rng(3)
    c = 4
    a = nn.relu(rng.standard_normal((1, c, 6, 6)))  # a[l] >= 0: it left a ReLU
    w1, b1 = rng.standard_normal((c, c, 3, 3)), rng.standard_normal(c)
    zero_w, zero_b = np.zeros((c, c, 3, 3)), np.zeros(c)
    out = residual_block(a, w1, b1, zero_w, zero_b)
    plain = nn.relu(nn.conv2d(nn.relu(nn.conv2d(a, w1, b1, padding=1)), zero_w, zero_b, padding=1))
    # projection shortcut: ResNet-18's first block of layer2 (64 -> 128 channels, stride 2)
    resnet = layer_table(load_builtin("resnet18"))
    block = next(r for r in resnet.rows if r.type == "basic" and r.input_shape[0] != r.output_shape[0])
    proj_w, proj_b = counts.conv2d_params(block.input_shape[0], block.output_shape[0], (1, 1), bias=False)
    depths = [2, 4, 8, 16, 32, 64]
    grads = [{"depth": d, "plain": _dense_stack(d, False), "residual": _dense_stack(d, True)} for d in depths]
    return {
        "c": c, "hw": a.shape[-2:], "identity_error": float(np.abs(out - a).max()),
        "plain_zero": float(np.abs(plain).max()),
        "block": {"name": block.name, "input": block.input_shape, "output": block.output_shape,
                  "stride": block.input_shape[1] // block.output_shape[1],
                  "weights": proj_w, "biases": proj_b,
                  "out_hw": nn.conv2d_output_hw(block.input_shape[1:], 1, stride=2)},
        "grads": grads, "width": 64, "batch": 32, "text_layout": text.SHAPE_LAYOUT,
        "code": snippets.run("residual"),
    }


# ------------------------------------------------------------------------------- im2col


def im2col() -> dict:
    rng = np.random.default_rng(5)
    x = rng.integers(0, 5, size=(1, 2, 4, 4)).astype(float)
    w = rng.integers(-1, 2, size=(3, 2, 3, 3)).astype(float)
    geo = nn.conv2d_geometry(x.shape[-2:], 3)
    cols = windows.im2col(x, geo.kernel, geo.stride, geo.dilation, geo.out_hw)[0, 0]  # (C*3*3, OH*OW)
    product = w.reshape(w.shape[0], -1) @ cols  # (F, C*3*3) @ (C*3*3, OH*OW) -> (F, OH*OW)
    small = {"x_shape": x.shape[1:], "w_shape": w.shape, "cols_shape": cols.shape,
             "w_rows": w.reshape(w.shape[0], -1).shape, "out_shape": (w.shape[0], *geo.out_hw),
             "cols": cols, "equal": bool(np.array_equal(product.reshape(-1, *geo.out_hw), nn.conv2d(x, w)[0]))}
    vgg_net = load_builtin("vgg16")
    rows = []
    for layer, r in zip(vgg_net.layers, layer_table(vgg_net).rows):
        if r.type != "conv" or r.name not in ("conv1_2", "conv3_1", "conv5_1"):
            continue
        c_in, (c_out, h, w_) = r.input_shape[0], r.output_shape
        kh, kw = layer.kernel
        col_shape = (c_in * kh * kw, h * w_)
        geometry = nn.conv2d_geometry(r.input_shape[1:], layer.kernel, layer.stride, layer.padding, layer.dilation)
        input_bytes = int(np.prod(r.input_shape)) * FLOAT32_BYTES
        cols_bytes = col_shape[0] * col_shape[1] * FLOAT32_BYTES
        rows.append({
            "name": r.name, "input": r.input_shape, "output": r.output_shape, "kernel": layer.kernel,
            "weights": (c_out, c_in * kh * kw), "cols": col_shape,
            "input_bytes": input_bytes, "cols_bytes": cols_bytes,
            "input_memory": formats.bytes_text(input_bytes), "cols_memory": formats.bytes_text(cols_bytes),
            "blowup": cols_bytes / input_bytes,
            "macs": c_out * col_shape[0] * col_shape[1], "table_macs": r.macs,
            "algorithm": conv2d_algorithm(c_in, (c_out, c_in, kh, kw), geometry, 1),
        })
    # LeNet-5's C3 is the kind of layer generator.nn really runs as im2col + one product
    lenet = load_builtin("lenet5")
    c3_layer, c3 = next((layer, r) for layer, r in zip(lenet.layers, layer_table(lenet).rows) if r.name == "C3")
    f = c3_layer.kernel[0]
    lenet_geo = nn.conv2d_geometry(c3.input_shape[1:], f, c3_layer.stride, c3_layer.padding)
    lenet_row = {"name": c3.name, "input": c3.input_shape, "output": c3.output_shape, "f": f,
                 "cols": (c3.input_shape[0] * f * f, c3.output_shape[1] * c3.output_shape[2]),
                 "algorithm": conv2d_algorithm(c3.input_shape[0], (c3.output_shape[0], c3.input_shape[0], f, f),
                                               lenet_geo, 1)}
    return {"small": small, "vgg": rows, "lenet": lenet_row, "layout": text.SHAPE_LAYOUT,
            "code": snippets.run("im2col")}


# ----------------------------------------------------------- backpropagation through a conv


def conv_backprop() -> dict:
    rng = np.random.default_rng(2)
    x = rng.integers(-2, 3, size=(1, 1, 5, 5)).astype(float)
    w = rng.integers(-1, 2, size=(1, 1, 3, 3)).astype(float)
    g = rng.integers(-1, 2, size=(1, 1, 3, 3)).astype(float)  # dL/dy, L = sum(g * conv(x, w))
    transposed = nn.conv_transpose2d(g, w)  # (1, 1, 5, 5)
    flipped = w[:, :, ::-1, ::-1]
    full = nn.conv2d(nn.pad(g, (2, 2, 2, 2)), flipped)  # pad by f - 1, convolve with the flipped kernel
    library = nn.conv2d_backward(g, x, w)[0]

    def loss(xx):
        return float((nn.conv2d(xx, w) * g).sum())

    eps = 1e-6
    numeric = np.zeros_like(x)
    for idx in np.ndindex(x.shape):  # centred differences, one input at a time
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (loss(up) - loss(down)) / (2 * eps)
    return {
        "x": x[0, 0], "w": w[0, 0], "g": g[0, 0], "flipped": flipped[0, 0],
        "grad": transposed[0, 0], "same_as_flipped": bool(np.array_equal(transposed, full)),
        "same_as_library": bool(np.array_equal(transposed, library)),
        "fd_error": float(np.abs(numeric - transposed).max()), "eps_exponent": int(round(np.log10(eps))),
        "code": snippets.run("conv_backprop"),
    }


# --------------------------------------------------------- depthwise-separable convolution


def depthwise_separable() -> dict:
    rows = []
    for c_in, c_out, hw in ((32, 64, (112, 112)), (512, 512, (14, 14)), (1024, 1024, (7, 7))):
        std = sum(counts.conv2d_params(c_in, c_out, (3, 3)))
        dw = sum(counts.conv2d_params(c_in, c_in, (3, 3), groups=c_in))
        pw = sum(counts.conv2d_params(c_in, c_out, (1, 1)))
        std_macs = counts.conv2d_macs(c_in, c_out, (3, 3), hw)
        sep_macs = counts.conv2d_macs(c_in, c_in, (3, 3), hw, groups=c_in) + counts.conv2d_macs(c_in, c_out, (1, 1), hw)
        rows.append({"c_in": c_in, "c_out": c_out, "hw": hw, "std": std, "dw": dw, "pw": pw,
                     "sep": dw + pw, "std_macs": std_macs, "sep_macs": sep_macs,
                     "ratio": sep_macs / std_macs, "predicted": 1 / c_out + 1 / 9})
    # a separable convolution is a standard one whose kernel is W[o, c] = P[o, c] * D[c]
    rng = np.random.default_rng(4)
    c, o = 3, 4
    x = rng.standard_normal((1, c, 6, 6))
    depth_w, point_w = rng.standard_normal((c, 1, 3, 3)), rng.standard_normal((o, c, 1, 1))
    separable = nn.conv2d(nn.conv2d(x, depth_w, padding=1, groups=c), point_w)
    combined = point_w[:, :, 0, 0][:, :, None, None] * depth_w[:, 0][None]  # (O, C, 3, 3)
    return {"rows": rows, "check": {"c": c, "o": o,
                                    "error": float(np.abs(separable - nn.conv2d(x, combined, padding=1)).max())},
            "layout": text.SHAPE_LAYOUT, "code": snippets.run("depthwise_separable")}
