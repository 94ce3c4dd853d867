import numpy as np
from generator import nn

x = np.array([[2, 3, 1, 9], [4, 7, 3, 5], [8, 2, 2, 2], [1, 3, 4, 5]], dtype=float)
print(nn.max_pool2d(x[None, None], kernel_size=2, stride=2)[0, 0])
print(nn.avg_pool2d(x[None, None], kernel_size=2, stride=2)[0, 0])
