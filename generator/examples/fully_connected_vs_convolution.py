from generator import text
from generator.tables import counts

print("dense 3072 -> 10:      ", counts.linear_params(3 * 32 * 32, 10))
print(f"conv 10 filters {text.shape((3, 5, 5))}: ", counts.conv2d_params(3, 10, (5, 5)))
