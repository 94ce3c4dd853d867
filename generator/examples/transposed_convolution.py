import numpy as np
from generator import nn

x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])           # (1, 1, 2, 2)
w = np.ones((1, 1, 3, 3))
print(nn.conv_transpose2d(x, w, stride=2).shape)      # 2×2 -> 5×5
print(nn.conv_transpose_output_size(3, 3, stride=2, padding=1, output_padding=1))
