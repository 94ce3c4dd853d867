import numpy as np
from generator import learn

ae, digits = learn.autoencoder(), learn.load_digits()
x = digits.images[digits.test_index[:1]]  # one test digit, pixels in [0, 1]
for name, out in zip(ae.model.names, ae.model.forward(ae.params, x, keep=True)):
    if name.startswith(("enc", "code", "dec")):
        print(f"{name:5} -> {out.shape[1:]}")
print("mean squared error:", round(float(np.mean((out - x) ** 2)), 4))
