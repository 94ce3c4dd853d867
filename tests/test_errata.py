"""Every erratum is still a discrepancy: the code disagrees with the note's value."""

from __future__ import annotations

import pytest

from generator.pages import errata

ENTRIES = errata.entries()


def test_there_are_errata():
    assert len(ENTRIES) >= 10


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i}:{e['topic']}" for i, e in enumerate(ENTRIES)])
def test_the_note_disagrees_with_the_code(entry):
    note, value = entry["note_value"], entry["value"]
    if isinstance(note, str):
        assert note != entry["shown"]
    else:
        assert value != pytest.approx(note), f"{entry['where']}: the code now agrees with the note"
