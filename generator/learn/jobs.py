"""The site's training runs as independent jobs, for the figure stage's process pool.

Each job is a module-level function of the cache folder: it loads its
networks from the cache or trains and stores them there, and returns nothing
(the build reads the results back through :mod:`.trained`). Jobs share no
state, so they can run in any order, in separate processes, beside the
figures being drawn. The longest comes first, so the pool finishes together.
"""

from __future__ import annotations

from pathlib import Path

from . import trained


def lenet5(cache: Path) -> None:
    trained.lenet5(cache)


def transfer(cache: Path) -> None:
    trained.transfer(cache)


def autoencoder(cache: Path) -> None:
    trained.autoencoder(cache)


#: Every training run of a build, the longest first.
JOBS = (lenet5, transfer, autoencoder)
