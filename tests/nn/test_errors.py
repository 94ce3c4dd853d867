"""Invalid arguments raise ValueError with a specific message.

Where PyTorch rejects the same call, the test asserts that it does too (when
torch is installed), so our validity rules are not stricter or looser by
accident.  ``torch_call=None`` marks a deliberate difference (documented).
"""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as nn
from generator.nn import naive

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the torch half of each case is skipped
    torch = F = None

X = np.zeros((1, 6, 7, 7))
W3 = np.zeros((4, 6, 3, 3))


def t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


CASES = [
    # (id, ours, torch equivalent or None, message regex)
    ("kernel-larger-than-input",
     lambda m: m.conv2d(X, np.zeros((4, 6, 5, 5)), dilation=2),
     lambda: F.conv2d(t(X), t(np.zeros((4, 6, 5, 5))), dilation=2),
     r"kernel size 5 \(dilated 9\) is larger than padded input 7x7"),
    ("kernel-larger-asymmetric",
     lambda m: m.conv2d(X, np.zeros((4, 6, 3, 10)), padding=(0, 1)),
     lambda: F.conv2d(t(X), t(np.zeros((4, 6, 3, 10))), padding=(0, 1)),
     r"kernel size 3x10 is larger than padded input 7x9"),
    ("groups-not-dividing-in-channels",
     lambda m: m.conv2d(X, np.zeros((4, 3, 3, 3)), groups=4),
     lambda: F.conv2d(t(X), t(np.zeros((4, 3, 3, 3))), groups=4),
     r"in_channels 6 is not divisible by groups 4"),
    ("groups-not-dividing-out-channels",
     lambda m: m.conv2d(X, np.zeros((5, 3, 3, 3)), groups=2),
     lambda: F.conv2d(t(X), t(np.zeros((5, 3, 3, 3))), groups=2),
     r"out_channels 5 is not divisible by groups 2"),
    ("weight-channels-mismatch",
     lambda m: m.conv2d(X, np.zeros((4, 4, 3, 3)), groups=2),
     lambda: F.conv2d(t(X), t(np.zeros((4, 4, 3, 3))), groups=2),
     r"weight of shape \(4, 4, 3, 3\) with groups=2 expects input with 8 channels, got 6"),
    ("input-2d",
     lambda m: m.conv2d(np.zeros((3, 4)), W3),
     lambda: F.conv2d(t(np.zeros((3, 4))), t(W3)),
     r"expected 4-D \(N, C, H, W\) or 3-D \(C, H, W\) input, got shape \(3, 4\)"),
    ("weight-3d",
     lambda m: m.conv2d(X, np.zeros((6, 3, 3))),
     lambda: F.conv2d(t(X), t(np.zeros((6, 3, 3)))),
     r"weight must be 4-D"),
    ("bias-shape",
     lambda m: m.conv2d(X, W3, np.zeros(5)),
     lambda: F.conv2d(t(X), t(W3), t(np.zeros(5))),
     r"bias must have shape \(4,\), got \(5,\)"),
    ("stride-zero",
     lambda m: m.conv2d(X, W3, stride=0),
     lambda: F.conv2d(t(X), t(W3), stride=0),
     r"stride should be greater than zero, but got \(0, 0\)"),
    ("negative-padding",
     lambda m: m.conv2d(X, W3, padding=(1, -1)),
     lambda: F.conv2d(t(X), t(W3), padding=(1, -1)),
     r"padding must be non-negative, but got \(1, -1\)"),
    ("dilation-zero",
     lambda m: m.conv2d(X, W3, dilation=0),
     lambda: F.conv2d(t(X), t(W3), dilation=0),
     r"dilation should be greater than zero"),
    ("same-with-stride",
     lambda m: m.conv2d(X, W3, stride=2, padding="same"),
     lambda: F.conv2d(t(X), t(W3), stride=2, padding="same"),
     r"padding='same' is not supported for strided convolutions"),
    ("unknown-padding-string",
     lambda m: m.conv2d(X, W3, padding="full"),
     lambda: F.conv2d(t(X), t(W3), padding="full"),
     r"padding must be 'valid', 'same', an int or a pair of ints, got 'full'"),
    ("groups-zero",
     lambda m: m.conv2d(X, W3, groups=0),
     lambda: F.conv2d(t(X), t(W3), groups=0),
     r"groups must be a positive int, got 0"),
    ("stride-float",
     lambda m: m.conv2d(X, W3, stride=1.5),
     lambda: F.conv2d(t(X), t(W3), stride=1.5),
     r"stride must be an int or a pair of ints, got 1.5"),
]

TRANSPOSED_CASES = [
    ("output-padding-too-large",
     lambda m: m.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((2, 3, 3, 3)), stride=2,
                                  output_padding=2),
     lambda: F.conv_transpose2d(t(np.zeros((1, 2, 3, 3))), t(np.zeros((2, 3, 3, 3))), stride=2,
                                output_padding=2),
     r"output padding must be smaller than either stride or dilation, but got "
     r"output_padding=2, stride=2 and dilation=1"),
    ("output-too-small",
     lambda m: m.conv_transpose2d(np.zeros((1, 2, 2, 2)), np.zeros((2, 3, 3, 3)), padding=2),
     lambda: F.conv_transpose2d(t(np.zeros((1, 2, 2, 2))), t(np.zeros((2, 3, 3, 3))), padding=2),
     r"calculated output size 0x0 is too small \(input size 2x2\)"),
    ("transposed-weight-channels",
     lambda m: m.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((3, 3, 3, 3))),
     lambda: F.conv_transpose2d(t(np.zeros((1, 2, 3, 3))), t(np.zeros((3, 3, 3, 3)))),
     r"weight of shape \(3, 3, 3, 3\) expects input with 3 channels, got 2"),
    ("transposed-bias",
     lambda m: m.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((2, 3, 3, 3)), np.zeros(2),
                                  groups=2),
     lambda: F.conv_transpose2d(t(np.zeros((1, 2, 3, 3))), t(np.zeros((2, 3, 3, 3))),
                                t(np.zeros(2)), groups=2),
     r"bias must have shape \(6,\), got \(2,\)"),
]

POOL_CASES = [
    ("pool-pad-too-large",
     lambda m: m.max_pool2d(X, 3, padding=2),
     lambda: F.max_pool2d(t(X), 3, padding=2),
     r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 "
     r"and dilation=1"),
    ("avg-pool-pad-too-large",
     lambda m: m.avg_pool2d(X, (3, 2), padding=(1, 2)),
     lambda: F.avg_pool2d(t(X), (3, 2), padding=(1, 2)),
     r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 "
     r"and dilation=1"),
    ("dilated-pool-pad-larger-than-half-kernel",
     lambda m: m.max_pool2d(X, 2, padding=2, dilation=3),
     lambda: F.max_pool2d(t(X), 2, padding=2, dilation=3),
     r"pad should be smaller than or equal to half of kernel size, but got pad=2, kernel_size=2"),
    ("pool-output-empty",
     lambda m: m.max_pool2d(np.zeros((1, 1, 2, 2)), 3),
     lambda: F.max_pool2d(t(np.zeros((1, 1, 2, 2))), 3),
     r"kernel size 3 is larger than padded input 2x2"),
    ("pool-stride-zero",
     lambda m: m.avg_pool2d(X, 2, stride=0),
     lambda: F.avg_pool2d(t(X), 2, stride=0),
     r"stride should be greater than zero, but got \(0, 0\)"),
    ("pool-kernel-zero",
     lambda m: m.max_pool2d(X, (2, 0)),
     lambda: F.max_pool2d(t(X), (2, 0)),
     r"kernel size should be greater than zero, but got \(2, 0\)"),
    ("pool-negative-padding",
     lambda m: m.max_pool2d(X, 2, padding=-1),
     lambda: F.max_pool2d(t(X), 2, padding=-1),
     r"padding must be non-negative, but got \(-1, -1\)"),
    ("pool-kernel-string",
     lambda m: m.max_pool2d(X, "five"),
     lambda: F.max_pool2d(t(X), "five"),
     r"kernel_size must be an int or a pair of ints, got 'five'"),
    ("pool-input-2d",
     lambda m: m.avg_pool2d(np.zeros((3, 4)), 2),
     lambda: F.avg_pool2d(t(np.zeros((3, 4))), 2),
     r"expected 4-D \(N, C, H, W\) or 3-D \(C, H, W\) input, got shape \(3, 4\)"),
    ("divisor-zero",
     lambda m: m.avg_pool2d(X, 2, divisor_override=0),
     lambda: F.avg_pool2d(t(X), 2, divisor_override=0),
     r"divisor_override must be a non-zero int, got 0"),
]


def _check(ours, torch_call, message, module):
    with pytest.raises(ValueError, match=message):
        ours(module)
    if torch_call is not None and torch is not None:
        with pytest.raises((RuntimeError, ValueError, TypeError, IndexError, NotImplementedError)):
            torch_call()


@pytest.mark.parametrize("ours, torch_call, message",
                         [c[1:] for c in CASES + TRANSPOSED_CASES + POOL_CASES],
                         ids=[c[0] for c in CASES + TRANSPOSED_CASES + POOL_CASES])
@pytest.mark.parametrize("module", [nn, naive], ids=["fast", "naive"])
def test_conv_and_pool_arguments(ours, torch_call, message, module):
    _check(ours, torch_call, message, module)


OTHER_CASES = [
    ("adaptive-zero-output",  # torch returns an empty array; an empty layer is a bug here
     lambda: nn.adaptive_avg_pool2d(X, (0, 3)), None,
     r"output_size should be greater than zero, but got \(0, 3\)"),
    ("adaptive-bad-size",
     lambda: nn.adaptive_avg_pool2d(X, "big"),
     lambda: F.adaptive_avg_pool2d(t(X), "big"),
     r"output_size must be an int or a pair of ints, got 'big'"),
    ("adaptive-input-2d",
     lambda: nn.adaptive_avg_pool2d(np.zeros((3, 4)), 2),
     lambda: F.adaptive_avg_pool2d(t(np.zeros((3, 4))), 2),
     r"expected 4-D \(N, C, H, W\) or 3-D \(C, H, W\) input, got shape \(3, 4\)"),
    ("pad-odd-length",
     lambda: nn.pad(X, (1, 1, 1)), lambda: F.pad(t(X), (1, 1, 1)),
     r"Padding length must be divisible by 2, got 3 values"),
    ("pad-too-many-dims",
     lambda: nn.pad(np.zeros((2, 2)), (1, 1, 1, 1, 1, 1)),
     lambda: F.pad(t(np.zeros((2, 2))), (1, 1, 1, 1, 1, 1)),
     r"Padding length too large: 6 values pad 3 dimensions of a 2-D input"),
    ("pad-unknown-mode",
     lambda: nn.pad(X, (1, 1), mode="wrap"), lambda: F.pad(t(X), (1, 1), mode="wrap"),
     r"mode must be one of constant, reflect, replicate, circular; got 'wrap'"),
    ("reflect-pad-too-large",
     lambda: nn.pad(X, (7, 1, 1, 1), mode="reflect"),
     lambda: F.pad(t(X), (7, 1, 1, 1), mode="reflect"),
     r"reflect padding must be smaller than the padded dimension, but got padding \(7, 1\) "
     r"at dimension 3 of input shape \(1, 6, 7, 7\)"),
    ("reflect-wrong-rank",
     lambda: nn.pad(X, (1, 1), mode="reflect"),
     lambda: F.pad(t(X), (1, 1), mode="reflect"),
     r"reflect padding of 1 dimension\(s\) needs a 2-D or 3-D input, got a 4-D input"),
    ("circular-wraps-twice",
     lambda: nn.pad(X, (8, 0, 0, 0), mode="circular"),
     lambda: F.pad(t(X), (8, 0, 0, 0), mode="circular"),
     r"circular padding \(8, 0\) wraps around more than once \(input size 7\)"),
    ("constant-crops-too-much",
     lambda: nn.pad(X, (-8, 2)), lambda: F.pad(t(X), (-8, 2)),
     r"padding \(-8, 2\) crops more than the 7 elements of dimension 3"),
    ("pad-empty-output",  # torch returns an empty array for constant mode
     lambda: nn.pad(X, (-4, -3)), None,
     r"padding \(-4, -3\) of dimension 3 \(size 7\) leaves output size 0; it must be at least 1"),
    ("replicate-empty-output",  # torch raises for a 3-D input (but not for 4-D)
     lambda: nn.pad(np.zeros((1, 1, 7)), (-4, -3), mode="replicate"),
     lambda: F.pad(t(np.zeros((1, 1, 7))), (-4, -3), mode="replicate"),
     r"leaves output size 0"),
    ("pad-not-ints",
     lambda: nn.pad(X, (1.5, 1)), lambda: F.pad(t(X), (1.5, 1)),
     r"pad must be a tuple of ints, got \(1.5, 1\)"),
    ("linear-features",
     lambda: nn.linear(np.zeros((2, 5)), np.zeros((3, 4))),
     lambda: F.linear(t(np.zeros((2, 5))), t(np.zeros((3, 4)))),
     r"linear: input has 5 features but weight of shape \(3, 4\) expects 4"),
    ("linear-bias",
     lambda: nn.linear(np.zeros((2, 4)), np.zeros((3, 4)), np.zeros(4)),
     lambda: F.linear(t(np.zeros((2, 4))), t(np.zeros((3, 4))), t(np.zeros(4))),
     r"linear: bias must have shape \(3,\), got \(4,\)"),
    ("softmax-dim",
     lambda: nn.softmax(np.zeros((2, 3)), 2), lambda: F.softmax(t(np.zeros((2, 3))), 2),
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    ("log-softmax-dim",
     lambda: nn.log_softmax(np.zeros((2, 3)), -3), lambda: F.log_softmax(t(np.zeros((2, 3))), -3),
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)"),
    ("flatten-order",
     lambda: nn.flatten(X, 2, 1), lambda: torch.flatten(t(X), 2, 1),
     r"flatten\(\) has invalid args: start_dim cannot come after end_dim"),
    ("flatten-range",
     lambda: nn.flatten(X, 0, 4), lambda: torch.flatten(t(X), 0, 4),
     r"end_dim: Dimension out of range \(expected to be in range of \[-4, 3\], but got 4\)"),
    ("batch-norm-channels",
     lambda: nn.batch_norm(X, np.zeros(5), np.ones(5)),
     lambda: F.batch_norm(t(X), t(np.zeros(5)), t(np.ones(5))),
     r"batch_norm: running_mean must have shape \(6,\), got \(5,\)"),
    ("batch-norm-one-value",
     lambda: nn.batch_norm(np.zeros((1, 3)), None, None, training=True),
     lambda: F.batch_norm(t(np.zeros((1, 3))), None, None, training=True),
     r"Expected more than 1 value per channel when training"),
    ("cross-entropy-target",
     lambda: nn.softmax_cross_entropy(np.zeros((2, 10)), np.array([3, 10])),
     lambda: F.cross_entropy(t(np.zeros((2, 10))), torch.tensor([3, 10])),
     r"target 10 is out of bounds for 10 classes"),
    ("cross-entropy-float-targets",
     lambda: nn.softmax_cross_entropy(np.zeros((2, 10)), np.array([3.0, 1.0])), None,
     r"targets must be integers, got dtype float64"),
    ("conv-backward-grad-shape",
     lambda: nn.conv2d_backward(np.zeros((1, 4, 4, 4)), X, W3),
     None, r"conv2d_backward: grad_output must have shape \(1, 4, 5, 5\), got \(1, 4, 4, 4\)"),
    ("complex-input",
     lambda: nn.relu(np.zeros(3, complex)) + nn.conv2d(np.zeros((1, 1, 3, 3), complex), W3),
     None, r"input must be a real numeric array, got dtype complex128"),
]


@pytest.mark.parametrize("ours, torch_call, message", [c[1:] for c in OTHER_CASES],
                         ids=[c[0] for c in OTHER_CASES])
def test_other_arguments(ours, torch_call, message):
    _check(lambda _: ours(), torch_call, message, None)


def test_adaptive_zero_output_is_where_we_differ_from_torch():
    if torch is None:
        pytest.skip("PyTorch oracle not installed")
    assert tuple(F.adaptive_avg_pool2d(t(X), (0, 3)).shape) == (1, 6, 0, 3)
