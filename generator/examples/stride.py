import numpy as np
from generator import nn

x = np.arange(49.0).reshape(1, 1, 7, 7)  # one 7x7 single-channel image
w = np.ones((1, 1, 3, 3))                # one 3x3 filter
for stride in (1, 2, 3):
    y = nn.conv2d(x, w, stride=stride)
    print(f"stride {stride}: output {y.shape[2]}x{y.shape[3]}")
