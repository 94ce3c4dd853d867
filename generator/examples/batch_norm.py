import numpy as np
from generator import nn

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 3, 8, 8))                        # (N, C, H, W)
w, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
mean, var = rng.standard_normal(4), rng.uniform(0.5, 2, 4)   # running statistics
gamma, beta = rng.uniform(0.5, 1.5, 4), rng.standard_normal(4)
eps = 1e-5
y = nn.batch_norm(nn.conv2d(x, w, b, padding=1), mean, var, gamma, beta, eps=eps)

s = gamma / np.sqrt(var + eps)                               # fold: one scale per filter
folded = nn.conv2d(x, w * s[:, None, None, None], (b - mean) * s + beta, padding=1)
print(np.abs(folded - y).max() < 1e-12)
