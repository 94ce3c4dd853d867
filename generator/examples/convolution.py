import numpy as np
from generator import nn
from generator.nn import naive

rng = np.random.default_rng(7)
x = rng.integers(0, 10, size=(1, 1, 7, 7)).astype(float)
w = np.array([[[[1, 0, -1], [2, 0, -2], [1, 0, -1]]]], dtype=float)
fast, loops = nn.conv2d(x, w), naive.conv2d(x, w)
print(fast[0, 0])
print("loops agree:", np.array_equal(fast, loops))
