import numpy as np
from generator import nn

x = np.zeros((1, 3, 32, 32))        # a 32x32 RGB image, channels first
w = np.zeros((10, 3, 5, 5))         # 10 filters of 5x5x3
print(nn.conv2d(x, w, padding=2).shape)       # pad 2 keeps 32x32
print(nn.conv2d(x, w, padding="same").shape)  # PyTorch computes the padding
print(nn.conv2d(x, w).shape)                  # 'valid': no padding
