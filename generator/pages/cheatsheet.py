"""The cheat sheet: every formula of the site, each with one example computed by the
function the rest of the site uses."""

from __future__ import annotations

import numpy as np

from .. import nn, text
from ..nn import tensorflow as tfr
from ..tables import counts, receptive


def formulas() -> list[dict]:
    """(section, formula in LaTeX, example text, computed value, page) rows."""
    pooled_in = (64, 8, 8)
    rf = receptive.window(receptive.window(receptive.INPUT, (3, 3), (1, 1), (1, 1)), (3, 3), (2, 2), (1, 1))
    return [
        {"name": "Output size (conv and pool)", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lfloor \frac{n + 2p - d\,(f-1) - 1}{s} \right\rfloor + 1",
         "example": "n = 224, f = 7, s = 2, p = 3", "value": nn.conv_output_size(224, 7, stride=2, padding=3)},
        {"name": "Without dilation", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1",
         "example": "n = 32, f = 5, s = 1, p = 2", "value": nn.conv_output_size(32, 5, padding=2)},
        {"name": "Pooling with ceil_mode", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil \frac{n + 2p - d\,(f-1) - 1}{s} \right\rceil + 1"
                r"\ \text{(last window must start inside)}",
         "example": "n = 7, f = 2, s = 2", "value": nn.pool_output_size(7, 2, 2, ceil_mode=True)},
        {"name": "Same padding (odd f, stride 1)", "page": "../foundations/padding.md",
         "tex": r"p = \frac{f - 1}{2}", "example": "f = 5 (before, after)", "value": nn.same_padding(5)},
        {"name": "TensorFlow 'SAME'", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil n/s \right\rceil,\quad p_{\text{total}} = \max\big((n_{\text{out}}-1)s + d(f-1) + 1 - n,\ 0\big)",
         "example": "n = 7, f = 3, s = 2 (out, top/left, bottom/right)",
         "value": nn.tf_output_size(7, 3, 2, padding="SAME")},
        {"name": "TensorFlow 'VALID'", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil \frac{n - d(f-1)}{s} \right\rceil",
         "example": "n = 7, f = 3, s = 2", "value": nn.tf_output_size(7, 3, 2, padding="VALID")[0]},
        {"name": "Keras pooling 'same'", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil n/s \right\rceil\ \text{(PyTorch rounds down)}",
         "example": "n = 7, f = 2, s = 2 (out, top/left, bottom/right)",
         "value": tfr.pool_output_size(7, 2, 2, "same")},
        {"name": "Keras Conv2DTranspose", "page": "../foundations/transposed-convolution.md",
         "tex": r"n_{\text{out}} = n\,s + \max(f_{\text{eff}} - s,\ 0)\ \text{('valid')},\quad n\,s\ \text{('same')}",
         "example": "n = 4, f = 2, s = 3, 'valid'", "value": tfr.conv_transpose_output_size(4, 2, 3, "valid")},
        {"name": "Dilated kernel extent", "page": "../foundations/dilation.md",
         "tex": r"f_{\text{eff}} = d\,(f - 1) + 1", "example": "f = 3, d = 2",
         "value": receptive.window(receptive.INPUT, (3, 3), (1, 1), (0, 0), (2, 2))[0].size},
        {"name": "Transposed convolution", "page": "../foundations/transposed-convolution.md",
         "tex": r"n_{\text{out}} = (n - 1)\,s - 2p + d\,(f - 1) + a + 1",
         "example": "n = 3, f = 3, s = 2, p = 1, a = 1",
         "value": nn.conv_transpose_output_size(3, 3, 2, 1, output_padding=1)},
        {"name": "Conv parameters", "page": "../foundations/parameters.md",
         "tex": r"(f \cdot f \cdot c_{\text{in}} / g + 1) \cdot c_{\text{out}}",
         "example": f"10 filters {text.shape((5, 5))} on depth 3", "value": sum(counts.conv2d_params(3, 10, (5, 5)))},
        {"name": "Linear parameters", "page": "../foundations/fully-connected-vs-convolution.md",
         "tex": r"(m_{\text{in}} + 1) \cdot m_{\text{out}}", "example": "400 → 120", "value": sum(counts.linear_params(400, 120))},
        {"name": "Conv multiply-accumulates", "page": "../foundations/one-by-one.md",
         "tex": r"H_{\text{out}} W_{\text{out}} \cdot c_{\text{out}} \cdot (f \cdot f \cdot c_{\text{in}} / g)",
         "example": f"{text.shape((192, 28, 28))} → {text.shape((32, 28, 28))}, {text.shape((5, 5))} ({text.SHAPE_LAYOUT})",
         "value": counts.conv2d_macs(192, 32, (5, 5), (28, 28))},
        {"name": "Linear multiply-accumulates", "page": "../foundations/fully-connected-vs-convolution.md",
         "tex": r"m_{\text{in}} \cdot m_{\text{out}}", "example": "9216 → 4096", "value": counts.linear_macs(9216, 4096)},
        {"name": "Receptive field", "page": "../foundations/receptive-field.md",
         "tex": r"r_l = r_{l-1} + (f_l - 1)\, j_{l-1},\quad j_l = j_{l-1} s_l",
         "example": f"{text.shape((3, 3))} s1, then {text.shape((3, 3))} s2 (size, jump)", "value": (rf[0].size, rf[0].jump)},
        {"name": "Pooling output depth", "page": "../foundations/pooling.md",
         "tex": r"c_{\text{out}} = c_{\text{in}},\ \text{no parameters}",
         "example": f"max-pool {text.shape((2, 2))} s2 on {text.shape(pooled_in)} ({text.SHAPE_LAYOUT}): output depth",
         "value": nn.max_pool2d(np.zeros(pooled_in), 2, 2).shape[0]},
    ]


#: One symbol per quantity, on every page of the site; ``notes`` are the other
#: names the course notes (and the texts they quote) use for it.
NOTATION = [
    {"symbol": r"n", "meaning": "input size along one side (height or width)",
     "notes": r"\(H\), \(W\), \(N\), \(n_H^{[l-1]}\), \(W_1\)"},
    {"symbol": r"n_{\text{out}}", "meaning": "output size along one side",
     "notes": r"\(H'\), \(W'\), \(n_H^{[l]}\), \(W_2\)"},
    {"symbol": r"f", "meaning": "filter (kernel) size",
     "notes": r"\(k\), \(F\), `kernel_size`"},
    {"symbol": r"s", "meaning": "stride", "notes": r"\(S\), \(s^{[l]}\)"},
    {"symbol": r"p", "meaning": "padding per side", "notes": r"\(P\), \(p^{[l]}\)"},
    {"symbol": r"d", "meaning": "dilation (1 = none); never depth",
     "notes": "`dilation_rate` (Keras)"},
    {"symbol": r"c_{\text{in}}", "meaning": "input channels (depth)",
     "notes": r"\(n_C^{[l-1]}\), \(D\) (\(D_1\)), \(c\), and \(d\) in the notes' \((f \times f \times d + 1) \times n\)"},
    {"symbol": r"c_{\text{out}}", "meaning": "output channels = number of filters",
     "notes": r"\(n_C^{[l]}\), \(K\), \(n\) in `Conv2D(n, f×f)`"},
    {"symbol": r"a", "meaning": "output padding of a transposed convolution", "notes": "`output_padding`"},
    {"symbol": r"g", "meaning": "groups", "notes": "`groups`"},
    {"symbol": r"m_{\text{in}}, m_{\text{out}}", "meaning": "inputs and outputs of a linear layer",
     "notes": "`in_features`, `out_features`; *units* (Keras)"},
    {"symbol": r"r,\ j", "meaning": "receptive-field size and jump (input pixels between neighbouring outputs)",
     "notes": ""},
]
