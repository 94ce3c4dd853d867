"""Files written whole or not at all.

A file the generator writes (a trained network, a cached computation, an
imported spec, the offline bundle) is first written beside its place under a
temporary name and then renamed over it, so a reader, a second process or an
interrupted build never sees half a file, and a failed write leaves the old
file as it was and no temporary behind.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, *, mode: int | None = None):
    """Yield a binary file beside ``target`` that replaces it when the block ends
    without an error (with permissions ``mode``, else the temporary file's 0600);
    on an error the temporary file is removed and the error goes on."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
