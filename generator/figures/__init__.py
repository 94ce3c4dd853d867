"""The figure library: matplotlib drawings of values computed by ``generator.nn`` and the tables.

``catalog.py`` lists every figure (id, kind, parameters); ``prepare.py``
computes what each draws; one module per kind draws it (``style.py`` decides
how everything looks); ``build.py`` renders what ``cache.py`` does not hold
yet, in parallel. Pages embed a figure by id with the ``figure`` macro of
``templates/macros/figures.md.j2`` and :func:`library.page_context`.

Importing this package does not import matplotlib.
"""
