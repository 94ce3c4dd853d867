import numpy as np
from generator import nn

x = np.ones((3, 6, 6))          # a 3×6×6 image: 3 channels of 6×6
w = np.ones((1, 3, 3, 3))       # one 3×3×3 filter: as deep as the input
print(nn.conv2d(x, w).shape)    # one 4×4 map
w6 = np.ones((6, 3, 5, 5))      # six 3×5×5 filters
print(nn.conv2d(np.ones((3, 32, 32)), w6).shape)
