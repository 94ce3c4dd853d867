"""ConvNet Atlas: computed, illustrated documentation of convolutional networks.

The flow, in pipeline order (no stage imports a later one)::

    specs (YAML data) -> nn / tables (NumPy) -> figures (matplotlib)
        -> templates (Jinja2) -> Markdown in docs/generated/ -> MkDocs

``python -m generator build`` runs it; see ``generator.pipeline``.
"""

__version__ = "0.1.0"
