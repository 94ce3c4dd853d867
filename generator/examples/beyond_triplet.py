from generator import learn

# the notes' case: d(A, P) = 0.5, d(A, N) = 0.51, margin 0.2
print(round(float(learn.triplet_loss(0.5, 0.51, 0.2)), 4))  # still a loss
print(float(learn.triplet_loss(0.5, 0.75, 0.2)))  # N far enough: none

run, digits = learn.lenet5(), learn.load_digits()
codes = dict(run.activations(digits.x_test[:3]))["tanh11"]  # F6: (3, 84)
f = learn.l2_normalise(codes.astype(float))
print("digits:", digits.y_test[:3])
print(learn.squared_distance(f[0], f[1:]).round(4))  # to the 2nd and 3rd
