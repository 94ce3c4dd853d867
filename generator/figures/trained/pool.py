"""The build's training runs as jobs in the figure stage's process pool, beside the drawings.

The figure stage submits every job of :data:`generator.learn.jobs.JOBS` (the
longest first) to the pool before the catalog's figures, so both cores train
and draw at once; when they are done, :class:`.lab.Lab` in the main process
loads the networks from the cache folder and the trained-network figures are
computed and drawn. Each job runs with one BLAS thread
(:func:`generator.learn.threads.one_blas_thread`), as training in the main
process does, so the weights are bit for bit the same wherever it runs.

A warm build must start no process, yet only ``generator.learn`` knows whether
a network is in its store. So each job that ran to the end leaves a record,
``<cache>/jobs/<job>``, holding :func:`code_key`: the import closure of the
jobs' code and the NumPy version. A job runs in the pool when its record is
missing or from other code. The record is only a hint: with a record but no
stored network (a deleted store, an edited spec file), ``Lab`` trains it in
the main process as it always could, so a wrong hint costs time, never a
wrong result.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import numpy as np

from ... import atomic, closure
from ...learn import jobs as learn_jobs
from ...learn.threads import one_blas_thread

log = logging.getLogger(__name__)

#: The folder of the records, inside the cache folder.
RECORDS = "jobs"


def code_key() -> str:
    """What a job's result depends on besides its data: its code and the NumPy version."""
    code = closure.digest(learn_jobs.__name__)
    return hashlib.sha256(f"{code}:numpy={np.__version__}".encode()).hexdigest()


def _record(cache: Path, job) -> Path:
    return Path(cache) / RECORDS / job.__name__


def due(cache: Path, jobs=None) -> list:
    """The jobs (of ``jobs``, default :data:`~generator.learn.jobs.JOBS`, in their order)
    with no record of having run with today's code."""
    wanted = code_key()
    due = []
    for job in learn_jobs.JOBS if jobs is None else jobs:
        try:
            done = _record(cache, job).read_text(encoding="ascii").strip() == wanted
        except (OSError, UnicodeDecodeError):
            done = False
        if not done:
            due.append(job)
    return due


def record(cache: Path, job) -> None:
    """Note that ``job`` ran to the end with today's code (atomically; a failure only costs time)."""
    try:
        with atomic.replacing(_record(cache, job)) as fh:
            fh.write(f"{code_key()}\n".encode("ascii"))
    except OSError as exc:
        log.warning("training jobs: cannot record %s (%s)", job.__name__, exc)


def run(job, cache: Path) -> float:
    """Run one job in this process with one BLAS thread; its wall seconds (for the log)."""
    t = time.perf_counter()
    with one_blas_thread():
        job(Path(cache))
    return time.perf_counter() - t
