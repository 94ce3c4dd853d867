from generator import learn
from generator.specs import load_builtin
from generator.tables import layer_table

network = learn.freeze(load_builtin("lenet5"), ["C1", "C3", "C5"])
table = layer_table(network)
for row in table.rows:
    if row.params:
        print(f"{row.name:7} {row.params:6,} parameters, {row.trainable_params:6,} trainable")
totals = table.totals
print(f"total {totals.params:,}, trainable {totals.trainable_params:,}")
