from generator import learn

run = learn.lenet5()  # from the build's cache (trained once if missing)
digits = learn.load_digits()
predicted = run.predict(digits.x_test)
print("test images:", len(predicted))
print("right:", int((predicted == digits.y_test).sum()))
print("predicted:", predicted[:12])
print("true:     ", digits.y_test[:12])
