from generator.tables import counts

print("dense 3072 -> 10:      ", counts.linear_params(32 * 32 * 3, 10))
print("conv 10 filters 5x5x3: ", counts.conv2d_params(3, 10, (5, 5)))
