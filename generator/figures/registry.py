"""Every figure kind, from the ``KIND`` its own module declares: the one list of kinds.

A kind's module holds its pure ``prepare`` (NumPy) and ``describe`` (alt text
and caption) halves beside its drawing code; it imports matplotlib only
inside the drawing functions, so importing this registry draws nothing.
Kept apart from the package's ``__init__`` so that a figure's cache key (the
import closure of its own module) does not include every other kind.
"""

from __future__ import annotations

from . import (architecture, connectivity, conv_values, detection_boxes, distance_histogram,
               feature_maps, heatmap, image_grid, layer_activations, one_by_one, output_size,
               padding_modes, pooling, receptive_field, residual_block, rgb_planes, score_bars,
               sliding_window, stride_fit, training_curves, volumes)
from . import batchnorm_channels, compute_share, concat_volumes, grouped_channels
from .kind import Kind

#: Kinds of catalog figures (computed from their parameters), in gallery order.
CATALOG = (rgb_planes, sliding_window, stride_fit, conv_values, pooling, padding_modes,
           connectivity, volumes, one_by_one, output_size, feature_maps, receptive_field,
           residual_block, batchnorm_channels, concat_volumes, grouped_channels, architecture,
           compute_share)
#: Kinds of trained-network figures (computed by :mod:`.trained`).
TRAINED = (training_curves, image_grid, layer_activations, heatmap, score_bars,
           detection_boxes, distance_histogram)

KINDS: dict[str, Kind] = {m.KIND.name: m.KIND for m in (*CATALOG, *TRAINED)}
