from __future__ import annotations

from ficarchive.formats.efiction.report import Report


def test_debug(imported: Report) -> None:
    print("\n".join(imported.lines()))
    assert False
