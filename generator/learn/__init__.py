"""Networks that really learn: LeNet-5 trained on real handwritten digits by ``generator.nn``.

>>> from generator import learn
>>> run = learn.lenet5()              # from the cache, or trained once (~10-20 s)
>>> digits = learn.load_digits()
>>> run.predict(digits.x_test[:5])    # doctest: +SKIP

The flow, in pipeline order: :mod:`.data` (the digits and the split),
:mod:`.layers` and :mod:`.model` (a network built from its spec, forward and
backward through ``generator.nn``), :mod:`.losses`, :mod:`.optim` (Adam),
:mod:`.loop` (training), :mod:`.store` (weights in the cache by key),
:mod:`.trained` (the site's networks). Then what the Beyond pages compute:
:mod:`.metrics` (top-k, confusion), :mod:`.detection` (IoU, NMS, label
vectors), :mod:`.embedding` (triplet loss), :mod:`.style_cost` (Gram
matrices, content and style costs). Nothing here plots.
"""

from .data import Digits, load_digits
from .detection import iou, label_vector, nms
from .embedding import l2_normalise, squared_distance, triplet_loss
from .metrics import confusion_matrix, rank_of_label, top_k, top_k_accuracy
from .model import Model, freeze
from .style_cost import content_cost, gram_matrix, layer_style_cost, total_cost
from .trained import Trained, autoencoder, lenet5, transfer

__all__ = [
    "Digits", "load_digits", "Model", "freeze", "Trained", "lenet5", "transfer", "autoencoder",
    "top_k", "top_k_accuracy", "rank_of_label", "confusion_matrix", "iou", "nms",
    "label_vector", "l2_normalise", "squared_distance", "triplet_loss", "gram_matrix",
    "content_cost", "layer_style_cost", "total_cost",
]
