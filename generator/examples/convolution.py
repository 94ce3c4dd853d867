import numpy as np
from generator import nn
from generator.nn import naive

x = np.random.default_rng(7).integers(0, 4, size=(1, 1, 7, 7)).astype(float)
w = np.array([[[[0, 1, 2], [2, 2, 0], [0, 1, 2]]]], dtype=float)
fast, loops = nn.conv2d(x, w), naive.conv2d(x, w)
print(fast[0, 0])
print("loops agree:", np.array_equal(fast, loops))
