import numpy as np
from generator import nn

rng = np.random.default_rng(0)
a = nn.relu(rng.standard_normal((1, 4, 6, 6)))        # a[l], after a ReLU
w1, b1 = rng.standard_normal((4, 4, 3, 3)), rng.standard_normal(4)
w2, b2 = np.zeros((4, 4, 3, 3)), np.zeros(4)          # W[l+2] = 0, b[l+2] = 0
a1 = nn.relu(nn.conv2d(a, w1, b1, padding=1))         # a[l+1]
out = nn.relu(nn.conv2d(a1, w2, b2, padding=1) + a)   # g(W a[l+1] + b + a[l])
print(np.array_equal(out, a))                         # the block is the identity
