"""Subcommands of ``python -m generator`` beyond ``build``: one module per command.

They live outside the packages they call so that registering them imports
nothing heavy: ``python -m generator build`` with nothing to do stays fast.
"""
