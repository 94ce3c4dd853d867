from generator import learn

a = (0, 0, 4, 4)        # x1, y1, x2, y2
b = (2, 1, 6, 5)        # 2 right, 1 down: they share 2 × 3 = 6
print(learn.iou(a, b))  # 6 / (16 + 16 - 6)

boxes = [(0, 0, 10, 10), (1, 1, 11, 11), (20, 20, 30, 30)]
kept, removed = learn.nms(boxes, [0.9, 0.8, 0.7], threshold=0.5)
print(kept)     # the second box repeats the first
print(removed)  # removed box: (box that removed it, IoU)

y = learn.label_vector((40, 8, 64, 32), 3, cell=(32, 0, 64, 32), n_classes=10)
print(y)        # pc, bx, by, bh, bw, then one-hot digit 3
