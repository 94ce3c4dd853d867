from generator.tables import counts

c_in, c_out, hw = 512, 512, (14, 14)
standard = counts.conv2d_macs(c_in, c_out, (3, 3), hw)
depthwise = counts.conv2d_macs(c_in, c_in, (3, 3), hw, groups=c_in)
pointwise = counts.conv2d_macs(c_in, c_out, (1, 1), hw)
print(f"{standard:,} MACs standard")
print(f"{depthwise + pointwise:,} MACs separable ({(depthwise + pointwise) / standard:.3f})")
