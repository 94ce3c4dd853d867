import numpy as np
from generator import nn

rng = np.random.default_rng(1)
x, w = rng.standard_normal((1, 1, 5, 5)), rng.standard_normal((1, 1, 3, 3))
g = rng.standard_normal((1, 1, 3, 3))                 # dL/dy for L = sum(g * conv(x, w))
dx = nn.conv_transpose2d(g, w)                        # = conv(pad(g, 2), flipped w)
flipped = nn.conv2d(nn.pad(g, (2, 2, 2, 2)), w[:, :, ::-1, ::-1])
print(np.allclose(dx, flipped))
e = np.zeros_like(x); e[0, 0, 2, 1] = 1e-6            # one centred difference
fd = ((nn.conv2d(x + e, w) - nn.conv2d(x - e, w)) * g).sum() / 2e-6
print(f"{dx[0, 0, 2, 1]:.6f} {fd:.6f}")
