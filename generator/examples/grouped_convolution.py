import numpy as np
from generator import nn
from generator.tables import counts

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 4, 5, 5))                # (N, C, H, W): 4 channels
w = rng.standard_normal((6, 2, 3, 3))                # 6 filters, each 4 / 2 = 2 channels deep
y = nn.conv2d(x, w, groups=2)                        # filters 0-2 read channels 0-1, 3-5 read 2-3
halves = np.concatenate([nn.conv2d(x[:, :2], w[:3]), nn.conv2d(x[:, 2:], w[3:])], axis=1)
print(y.shape, np.allclose(y, halves))
# ResNeXt-50's first grouped 3×3: 128 -> 128 channels at 56×56, 32 groups
for g in (1, 32):
    print(f"groups={g}: {sum(counts.conv2d_params(128, 128, (3, 3), groups=g, bias=False)):,} weights, "
          f"{counts.conv2d_macs(128, 128, (3, 3), (56, 56), groups=g):,} MACs")
