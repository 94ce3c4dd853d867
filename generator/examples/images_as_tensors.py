import numpy as np
from generator import nn

hwc = np.arange(12).reshape(2, 2, 3)   # height, width, channels (how images are stored)
chw = hwc.transpose(2, 0, 1)           # channels first (what PyTorch expects)
print(chw.shape)
print(chw[0])                          # the red plane
print(nn.flatten(chw))                 # 3×2×2 -> 12 values, one channel after another
