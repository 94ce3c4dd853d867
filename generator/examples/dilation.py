import numpy as np
from generator import nn

x = np.arange(49.0).reshape(1, 1, 7, 7)
w = np.ones((1, 1, 3, 3))
y = nn.conv2d(x, w, dilation=2)   # taps 2 pixels apart: a 5×5 footprint
print(y.shape)
print(y[0, 0, 0, 0], "=", x[0, 0, 0:5:2, 0:5:2].sum())
