import numpy as np
from generator import nn, text

x = np.arange(49.0).reshape(1, 1, 7, 7)  # one 1×7×7 image (N, C, H, W)
w = np.ones((1, 1, 3, 3))                # one 3×3 filter
for stride in (1, 2, 3):
    y = nn.conv2d(x, w, stride=stride)
    print(f"stride {stride}: output {text.shape(y.shape[2:])}")
