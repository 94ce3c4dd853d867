from generator import text
from generator.tables import counts

# (weights, biases) of a convolution: in_channels, out_channels, kernel
for c_in, n, f in [(1, 1, 5), (3, 10, 5), (3, 10, 3), (100, 50, 5)]:
    w, b = counts.conv2d_params(c_in, n, (f, f))
    print(f"{n} {'filter' if n == 1 else 'filters'} {text.shape((c_in, f, f))}: {w} + {b} = {w + b}")
