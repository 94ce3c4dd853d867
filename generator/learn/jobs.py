"""The site's training runs as independent jobs, for the figure stage's process pool.

Each job is a module-level function of the cache folder: it loads its
networks from the cache or trains and stores them there, and returns nothing
(the build reads the results back through :mod:`.trained`). Jobs share no
state, so they can run in any order, in separate processes, beside the
figures being drawn. The transfer-learning runs are two jobs: the heads need
the pre-trained base network, the runs from scratch do not. The longest
comes first, so the pool finishes together (benchmarks/bench_training.py
measures each job).
"""

from __future__ import annotations

from pathlib import Path

from . import trained


def autoencoder(cache: Path) -> None:
    trained.autoencoder(cache)


def lenet5(cache: Path) -> None:
    trained.lenet5(cache)


def transfer_scratch(cache: Path) -> None:
    """LeNet-5 trained from scratch on digits 5-9, with all and with few labels."""
    trained.train_transfer_part(cache, "scratch")


def transfer_head(cache: Path) -> None:
    """The base network on digits 0-4, then its head retrained on 5-9."""
    trained.train_transfer_part(cache, "head")


#: Every training run of a build, the longest first.
JOBS = (autoencoder, lenet5, transfer_scratch, transfer_head)
