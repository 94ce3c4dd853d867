"""The bounds of a spec: past them a spec is refused with one line, so that any input,
however large or hostile, is read and tabulated in bounded time and memory.

The shape calculator (``docs/javascripts/calculator.js``) enforces the same numbers.
"""

from __future__ import annotations

from ..spec_files import MAX_SPEC_BYTES as _MAX_SPEC_BYTES

__all__ = ["MAX_DIM", "MAX_LAYERS", "MAX_SPEC_BYTES", "MAX_NESTING", "MAX_VALUES",
           "MAX_TEXT_CHARS", "MAX_INT_DIGITS"]

#: The largest number any size of a spec may be: every input dimension and every
#: integer field of a layer (channels, kernel, stride, padding, dilation, groups,
#: output size, width, expansion).
MAX_DIM = 1_000_000

#: The most layers a spec may have after expanding its blocks: each layer counts as its
#: class's ``COUNTS_AS`` in :mod:`.layers` (a plain layer 1, a residual or concat block
#: only the layers inside, a basic or bottleneck block the layers it expands to).
MAX_LAYERS = 10_000

#: The largest spec file, in bytes (1 MiB); defined in :mod:`generator.spec_files`, which
#: checks it when the specs folder is scanned, before any file is read.
MAX_SPEC_BYTES = _MAX_SPEC_BYTES

#: The deepest nesting of YAML lists and mappings (a block nests three levels).
MAX_NESTING = 50

#: The most values (scalars, lists, mappings) a spec may expand to, aliases included.
MAX_VALUES = 1_000_000

#: The most characters all the text of a spec may expand to, aliases included (each
#: alias counts the characters of what it names): without aliases a spec holds at most
#: MAX_SPEC_BYTES of them, and an alias repeated could otherwise multiply a long name
#: into every row of the table and the page (a 440 KB spec made a table of 800 MB).
MAX_TEXT_CHARS = 4 * MAX_SPEC_BYTES

#: The most digits an integer may have in a spec's YAML.
MAX_INT_DIGITS = 100
