import numpy as np
from generator.specs import load_builtin
from generator.tables import layer_table

x1 = np.zeros((1, 64, 28, 28))                      # PyTorch: channels first, dim=1
x2 = np.zeros((1, 128, 28, 28))
print(np.concatenate([x1, x2], axis=1).shape)       # like torch.cat([x1, x2], dim=1)

table = layer_table(load_builtin("inception3a"))    # four branches, stacked on the channels
module = table.rows[0]
print(module.input_shape, "->", module.output_shape, module.children[-1].details)
