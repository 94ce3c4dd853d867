from generator.tables import counts

direct = counts.conv2d_macs(192, 32, (5, 5), (28, 28))
bottleneck = counts.conv2d_macs(192, 16, (1, 1), (28, 28)) + counts.conv2d_macs(16, 32, (5, 5), (28, 28))
print(f"5x5 directly:      {direct:,} MACs")
print(f"1x1 then 5x5:      {bottleneck:,} MACs")
