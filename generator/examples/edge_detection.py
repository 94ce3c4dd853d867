import numpy as np
from generator import nn

image = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)
vertical = np.array([[1, 0, -1]] * 3, dtype=float)
edges = nn.conv2d(image[None, None], vertical[None, None])
print(edges[0, 0])
