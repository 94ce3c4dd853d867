"""Every erratum is still a discrepancy: the code disagrees with the note's value."""

from __future__ import annotations

import pytest

from generator.pages import errata

ENTRIES = errata.entries()


def _errata_page() -> str:
    from generator.pages import reference
    from generator.pipeline import BuildContext
    from generator.settings import load_settings
    from tests.conftest import ROOT

    pages = {o.path: o.data.decode() for o in reference.outputs(BuildContext(load_settings(ROOT)))}
    return pages["reference/errata.md"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i}:{e['topic']}" for i, e in enumerate(ENTRIES)])
def test_the_page_shows_each_erratum_and_links_a_real_page(entry):
    import posixpath

    from generator.pages import site_map

    page = _errata_page()
    assert entry["note"] in page and entry["shown"] in page and entry["why"] in page
    assert f"]({entry['page']})" in page
    target = posixpath.normpath(posixpath.join("reference", entry["page"]))
    from generator.specs import BUILTINS

    declared = {s.path(p) for s in site_map.SECTIONS for p in s.pages}
    declared |= {site_map.ARCHITECTURES.path(name) for name in BUILTINS}
    assert target in declared, f"{entry['page']} is not a page of the site"


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i}:{e['topic']}" for i, e in enumerate(ENTRIES)])
def test_the_note_disagrees_with_the_code(entry):
    note, value = entry["note_value"], entry["value"]
    if isinstance(note, str):
        assert note != entry["shown"]
    else:
        assert value != pytest.approx(note), f"{entry['where']}: the code now agrees with the note"
