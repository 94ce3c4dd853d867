"""The cheat sheet: every formula of the site, each with one example computed by the
function the rest of the site uses."""

from __future__ import annotations

from .. import nn
from ..tables import counts, receptive


def formulas() -> list[dict]:
    """(section, formula in LaTeX, example text, computed value, page) rows."""
    rf = receptive.window(receptive.window(receptive.INPUT, (3, 3), (1, 1), (1, 1)), (3, 3), (2, 2), (1, 1))
    return [
        {"name": "Output size (conv and pool)", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lfloor \frac{n + 2p - d\,(k-1) - 1}{s} \right\rfloor + 1",
         "example": "n = 224, k = 7, s = 2, p = 3", "value": nn.conv_output_size(224, 7, stride=2, padding=3)},
        {"name": "Without dilation", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1",
         "example": "n = 32, f = 5, s = 1, p = 2", "value": nn.conv_output_size(32, 5, padding=2)},
        {"name": "Pooling with ceil_mode", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil \frac{n + 2p - d\,(k-1) - 1}{s} \right\rceil + 1"
                r"\ \text{(last window must start inside)}",
         "example": "n = 7, k = 2, s = 2", "value": nn.pool_output_size(7, 2, 2, ceil_mode=True)},
        {"name": "Same padding (odd f, stride 1)", "page": "../foundations/padding.md",
         "tex": r"p = \frac{f - 1}{2}", "example": "f = 5 (before, after)", "value": nn.same_padding(5)},
        {"name": "TensorFlow 'SAME'", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil n/s \right\rceil,\quad p_{\text{total}} = \max\big((n_{\text{out}}-1)s + d(k-1) + 1 - n,\ 0\big)",
         "example": "n = 7, k = 3, s = 2 (out, top/left, bottom/right)",
         "value": nn.tf_output_size(7, 3, 2, padding="SAME")},
        {"name": "TensorFlow 'VALID'", "page": "../foundations/output-size.md",
         "tex": r"n_{\text{out}} = \left\lceil \frac{n - d(k-1)}{s} \right\rceil",
         "example": "n = 7, k = 3, s = 2", "value": nn.tf_output_size(7, 3, 2, padding="VALID")[0]},
        {"name": "Dilated kernel extent", "page": "../foundations/dilation.md",
         "tex": r"k_{\text{eff}} = d\,(k - 1) + 1", "example": "k = 3, d = 2",
         "value": receptive.window(receptive.INPUT, (3, 3), (1, 1), (0, 0), (2, 2))[0].size},
        {"name": "Transposed convolution", "page": "../foundations/transposed-convolution.md",
         "tex": r"n_{\text{out}} = (n - 1)\,s - 2p + d\,(k - 1) + a + 1",
         "example": "n = 3, k = 3, s = 2, p = 1, a = 1",
         "value": nn.conv_transpose_output_size(3, 3, 2, 1, output_padding=1)},
        {"name": "Conv parameters", "page": "../foundations/parameters.md",
         "tex": r"(f \cdot f \cdot c / g + 1) \cdot n",
         "example": "10 filters 5x5 on depth 3", "value": sum(counts.conv2d_params(3, 10, (5, 5)))},
        {"name": "Linear parameters", "page": "../foundations/fully-connected-vs-convolution.md",
         "tex": r"(m + 1) \cdot n", "example": "400 → 120", "value": sum(counts.linear_params(400, 120))},
        {"name": "Conv multiply-accumulates", "page": "../foundations/one-by-one.md",
         "tex": r"H_{\text{out}} W_{\text{out}} \cdot n \cdot (f \cdot f \cdot c / g)",
         "example": "28x28x192 → 28x28x32, 5x5", "value": counts.conv2d_macs(192, 32, (5, 5), (28, 28))},
        {"name": "Linear multiply-accumulates", "page": "../foundations/fully-connected-vs-convolution.md",
         "tex": r"m \cdot n", "example": "9216 → 4096", "value": counts.linear_macs(9216, 4096)},
        {"name": "Receptive field", "page": "../foundations/receptive-field.md",
         "tex": r"r_l = r_{l-1} + (k_l - 1)\, j_{l-1},\quad j_l = j_{l-1} s_l",
         "example": "3x3 s1, then 3x3 s2 (size, jump)", "value": (rf[0].size, rf[0].jump)},
        {"name": "Pooling output depth", "page": "../foundations/pooling.md",
         "tex": r"D_{\text{out}} = D_{\text{in}},\ \text{no parameters}",
         "example": "2x2 s2 on 224x224", "value": nn.pool2d_output_hw((224, 224), 2, 2)},
    ]
