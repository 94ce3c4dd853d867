"""One trainable layer per spec layer kind: forward through ``generator.nn``, and back.

Each layer keeps what its backward pass needs from the last forward pass.
Shapes follow NCHW: a layer maps (N, C, H, W) (or (N, features)) to the
shape :func:`generator.tables.layer_table` lists for it.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..nn.conv import conv2d_and_columns
from .. import specs as s


class Layer:
    """A layer without parameters; subclasses override what they need."""

    #: parameter name ("weight", "bias") -> shape
    shapes: dict[str, tuple[int, ...]] = {}
    #: Whether each image's output is computed on its own, so that its bits do not depend
    #: on the other images of the batch: then a set may run through the layer in chunks
    #: of any size. Not so for a linear layer (see :class:`Linear`).
    per_image: bool = True

    def __init__(self, spec: s.Layer, in_shape: tuple[int, ...], name: str):
        self.spec, self.in_shape, self.name = spec, in_shape, name
        self.frozen = spec.frozen

    def fan_in(self) -> int:
        return 1

    def forward(self, x: np.ndarray, params: dict) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, params: dict, need_input: bool):
        """Returns (gradient w.r.t. the input or None, {param name: gradient})."""
        raise NotImplementedError


class Conv(Layer):
    def __init__(self, spec: s.Conv, in_shape, name):
        super().__init__(spec, in_shape, name)
        if spec.groups != 1:
            raise ValueError("grouped convolutions are not trained here")
        c = in_shape[0]
        self.args = dict(stride=spec.stride, padding=spec.padding, dilation=spec.dilation)
        self.shapes = {"weight": (spec.out, c) + tuple(spec.kernel)}
        if spec.bias:
            self.shapes["bias"] = (spec.out,)

    def fan_in(self):
        _, c, kh, kw = self.shapes["weight"]
        return c * kh * kw

    def forward(self, x, params):
        self.x = x
        # the im2col matrix the forward pass built is the one the weight gradient needs
        y, self.columns = conv2d_and_columns(x, params["weight"], params.get("bias"), **self.args)
        return y

    def backward(self, grad, params, need_input):
        gx, gw, gb = nn.conv2d_backward(grad, self.x, params["weight"], **self.args,
                                        need_input=need_input, columns=self.columns)
        grads = {"weight": gw}
        if "bias" in self.shapes:
            grads["bias"] = gb
        return gx, grads


def conv_transpose2d_backward(grad_output, input, weight, stride=1, padding=0, dilation=1,
                              need_input=True):
    """Gradients of :func:`generator.nn.conv_transpose2d` (groups 1), from conv2d's.

    A transposed convolution is the adjoint of the convolution with the same
    weight, so its input gradient is that convolution of ``grad_output``, and
    its weight gradient is the convolution's weight gradient with the roles
    of input and upstream gradient swapped.

    grad_output: (N, F, H', W'); input: (N, C, H, W); weight: (C, F, KH, KW).
    Returns grad_input (N, C, H, W) (None unless ``need_input``), grad_weight
    (C, F, KH, KW), grad_bias (F,).
    """
    grad_input = columns = None
    if need_input:
        # the im2col matrix of grad_output built here is the one the weight gradient needs
        grad_input, columns = conv2d_and_columns(grad_output, weight, stride=stride,
                                                 padding=padding, dilation=dilation)
    _, grad_weight, _ = nn.conv2d_backward(input, grad_output, weight, stride=stride,
                                           padding=padding, dilation=dilation, need_input=False,
                                           columns=columns)
    return grad_input, grad_weight, grad_output.sum(axis=(0, 2, 3))


class ConvTranspose(Layer):
    def __init__(self, spec: s.ConvTranspose, in_shape, name):
        super().__init__(spec, in_shape, name)
        if spec.groups != 1:
            raise ValueError("grouped transposed convolutions are not trained here")
        c = in_shape[0]
        self.args = dict(stride=spec.stride, padding=spec.padding, dilation=spec.dilation)
        self.output_padding = spec.output_padding
        self.shapes = {"weight": (c, spec.out) + tuple(spec.kernel)}
        if spec.bias:
            self.shapes["bias"] = (spec.out,)

    def fan_in(self):
        # PyTorch's default initialisation uses weight.size(1) * KH * KW here
        _, f, kh, kw = self.shapes["weight"]
        return f * kh * kw

    def forward(self, x, params):
        self.x = x
        return nn.conv_transpose2d(x, params["weight"], params.get("bias"),
                                   output_padding=self.output_padding, **self.args)

    def backward(self, grad, params, need_input):
        gx, gw, gb = conv_transpose2d_backward(grad, self.x, params["weight"], **self.args,
                                               need_input=need_input)
        grads = {"weight": gw}
        if "bias" in self.shapes:
            grads["bias"] = gb
        return gx, grads


class Linear(Layer):
    #: One matrix product over the whole batch, whose kernel, and with it the order of
    #: the additions, OpenBLAS picks by the matrix sizes: an image's output may differ in
    #: its last bits with the number of images beside it.
    per_image = False

    def __init__(self, spec: s.Linear, in_shape, name):
        super().__init__(spec, in_shape, name)
        self.shapes = {"weight": (spec.out, in_shape[0])}
        if spec.bias:
            self.shapes["bias"] = (spec.out,)

    def fan_in(self):
        return self.shapes["weight"][1]

    def forward(self, x, params):
        self.x = x
        return nn.linear(x, params["weight"], params.get("bias"))

    def backward(self, grad, params, need_input):
        gx, gw, gb = nn.linear_backward(grad, self.x, params["weight"])
        grads = {"weight": gw}
        if "bias" in self.shapes:
            grads["bias"] = gb
        return gx, grads


class Tanh(Layer):
    def forward(self, x, params):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad, params, need_input):
        return grad * (1 - self.y * self.y), {}  # d tanh = 1 - tanh^2


class Sigmoid(Layer):
    def forward(self, x, params):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, grad, params, need_input):
        return grad * self.y * (1 - self.y), {}


class ReLU(Layer):
    def forward(self, x, params):
        self.x = x
        return nn.relu(x)

    def backward(self, grad, params, need_input):
        return nn.relu_backward(grad, self.x), {}


class AvgPool(Layer):
    def __init__(self, spec: s.AvgPool, in_shape, name):
        super().__init__(spec, in_shape, name)
        self.args = dict(kernel_size=spec.kernel, stride=spec.stride, padding=spec.padding,
                         ceil_mode=spec.ceil_mode, count_include_pad=spec.count_include_pad)

    def forward(self, x, params):
        self.x = x
        return nn.avg_pool2d(x, **self.args)

    def backward(self, grad, params, need_input):
        return (nn.avg_pool2d_backward(grad, self.x, **self.args) if need_input else None), {}


class MaxPool(Layer):
    def __init__(self, spec: s.MaxPool, in_shape, name):
        super().__init__(spec, in_shape, name)
        self.args = dict(kernel_size=spec.kernel, stride=spec.stride, padding=spec.padding,
                         dilation=spec.dilation, ceil_mode=spec.ceil_mode)

    def forward(self, x, params):
        self.x = x
        y, self.indices = nn.max_pool2d(x, return_indices=True, **self.args)
        return y

    def backward(self, grad, params, need_input):
        if not need_input:
            return None, {}
        return nn.max_pool2d_backward(grad, self.x, indices=self.indices, **self.args), {}


class Flatten(Layer):
    def forward(self, x, params):
        self.shape = x.shape
        return nn.flatten(x, 1)  # (N, C, H, W) -> (N, C*H*W)

    def backward(self, grad, params, need_input):
        return grad.reshape(self.shape), {}


class Identity(Layer):
    """Dropout when the network is used (and not trained with dropout here)."""

    def forward(self, x, params):
        return x

    def backward(self, grad, params, need_input):
        return grad, {}


class Softmax(Layer):
    """Class probabilities; training fuses it into the loss, so it has no backward pass here."""

    def forward(self, x, params):
        return nn.softmax(x, 1)

