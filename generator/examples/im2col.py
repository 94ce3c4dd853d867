import numpy as np
from generator import nn
from generator.nn import windows

x = np.arange(2 * 4 * 4, dtype=float).reshape(1, 2, 4, 4)   # (N, C, H, W)
w = np.ones((3, 2, 3, 3))                                    # (F, C, 3, 3)
cols = windows.im2col(x, (3, 3), (1, 1), (1, 1), (2, 2))[0, 0]
print(cols.shape)                                  # (C*3*3, H'*W') = (18, 4)
y = (w.reshape(3, -1) @ cols).reshape(3, 2, 2)     # (F, 18) @ (18, 4) -> (F, 2, 2)
print(np.array_equal(y, nn.conv2d(x, w)[0]))
