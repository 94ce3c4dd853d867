from generator import text
from generator.tables import receptive

field = receptive.INPUT
for k, s, p in [(3, 1, 1), (3, 1, 1), (2, 2, 0), (3, 1, 1)]:
    field = receptive.window(field, (k, k), (s, s), (p, p))
    print(f"kernel {k}, stride {s}: sees {text.shape((field[0].size, field[1].size))}, jump {field[0].jump}")
