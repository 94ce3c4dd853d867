from generator import text
from generator.tables import counts

direct = counts.conv2d_macs(192, 32, (5, 5), (28, 28))
bottleneck = counts.conv2d_macs(192, 16, (1, 1), (28, 28)) + counts.conv2d_macs(16, 32, (5, 5), (28, 28))
print(f"{text.shape((5, 5))} directly:      {direct:,} MACs")
print(f"{text.shape((1, 1))} then {text.shape((5, 5))}:      {bottleneck:,} MACs")
