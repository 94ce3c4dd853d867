"""Run BLAS on one thread while training, so results do not depend on the thread count.

A matrix product split over threads may add its terms in another order, and
float addition is not associative: two machines (or two settings of
``OPENBLAS_NUM_THREADS``) could train different weights from the same code.
On one thread the order is fixed. LeNet-5's matrices are small, so one
thread costs almost nothing here (see benchmarks/bench_training.py).
``threadpoolctl`` is installed with scikit-learn, which provides the data.
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def one_blas_thread():
    """Limit every BLAS library loaded in this process to one thread, then restore."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
