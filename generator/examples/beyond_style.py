import numpy as np
from generator import learn

a = np.array([[[1, 0], [2, 1]],    # channel 1: a 2×2 map
              [[0, 3], [1, 1]]])   # channel 2
print(learn.gram_matrix(a))        # G[k, k'] = sum of a_k * a_k'

b = np.array([[[1, 1], [2, 0]],
              [[0, 3], [0, 1]]])
print(learn.content_cost(a, b))      # 1/2 sum of squared differences
print(learn.layer_style_cost(a, b))  # Gram difference² / (2·2·2·2)²
