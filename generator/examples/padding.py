import numpy as np
from generator import nn

x = np.zeros((1, 3, 32, 32))        # one 3×32×32 RGB image (N, C, H, W)
w = np.zeros((10, 3, 5, 5))         # 10 filters of 3×5×5
print(nn.conv2d(x, w, padding=2).shape)       # pad 2 keeps 32×32
print(nn.conv2d(x, w, padding="same").shape)  # PyTorch computes the padding
print(nn.conv2d(x, w).shape)                  # 'valid': no padding
