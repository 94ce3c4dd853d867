"""The figure library: matplotlib drawings of values computed by ``generator.nn``, the
tables and the trained networks, made by the figure stage while the pages are written.

``catalog.py`` lists the figures computed from parameters, ``trained/`` those
computed from the networks trained during the build. One module per figure
kind (``registry.py`` lists them) holds the kind's pure ``prepare`` (NumPy)
and ``describe`` (alt text and caption) halves beside its drawing code;
``style.py`` decides how everything looks and names its colours for alt text.
``stage.py`` resolves every figure and draws, in one process pool, what
``cache.py`` does not hold yet. Pages embed a figure by id with the ``figure``
macro of ``templates/macros/figures.md.j2`` and :func:`library.page_context`.

Importing this package, or any kind module, does not import matplotlib.
"""
