import numpy as np
from generator import learn

scores = np.array([[0.1, 2.5, 0.3, 1.9, -1.0],   # class 1 is the top; 3 is second
                   [1.2, 0.4, 0.8, 3.0, 2.9]])   # class 3 first, 4 a close second
labels = np.array([3, 4])
print(learn.top_k(scores, 2))                  # the two best classes of each row
print(learn.top_k_accuracy(scores, labels, 1))  # neither label is the top class
print(learn.top_k_accuracy(scores, labels, 2))  # both are among the top two

run, digits = learn.lenet5(), learn.load_digits()
test_scores = run.scores(digits.x_test)
print(learn.top_k_accuracy(test_scores, digits.y_test, 1),
      learn.top_k_accuracy(test_scores, digits.y_test, 5))
