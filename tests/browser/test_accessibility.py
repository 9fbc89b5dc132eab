"""axe-core in Chromium finds no serious or critical accessibility problem on the main reading
pages, in the light and the dark theme, on a desktop and a phone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.browser.corpus import Corpus, reading_corpus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return reading_corpus(tmp_path)


def pages(corpus: Corpus) -> dict[str, str]:
    # The gate first: once a page has proceeded, the session lets the reader through.
    return {
        "gate": f"/works/{corpus.explicit.pk}",
        "home": "/",
        "work": f"/works/{corpus.explicit_single.pk}?view_adult=true",
        "chapter": f"/works/{corpus.explicit.pk}/chapters/{corpus.second_chapter().pk}"
        "?view_adult=true",
        "entire-work": f"/works/{corpus.explicit.pk}?view_full_work=true&view_adult=true",
        "navigate": f"/works/{corpus.explicit.pk}/navigate",
        "tag": "/tags/Fluff/works",
        "search-form": "/works/search",
        "search-results": "/works/search?q=candlesticks&sort=kudos",
        "creator": "/users/nightjar/works",
        "profile": "/users/nightjar",
        "tag-page": "/tags/Fluff",
        "fandoms": "/media",
        "medium": "/media/Books *a* Literature/fandoms",
        "not-found": "/works/1",
    }


def axe(page: Page, source: str) -> list[dict[str, Any]]:
    # Through the debugger, which the content policy does not govern (an inline script tag
    # would be refused: no page allows inline script).
    page.evaluate(source + "\n;undefined")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return result["violations"]


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light", "dark", "phone"],
)
def test_axe_finds_no_serious_or_critical_problem(
    new_page: Callable[..., Page],
    corpus: Corpus,
    axe_source: str,
    scheme: str,
    viewport: ViewportSize,
) -> None:
    page = new_page(viewport=viewport, color_scheme=scheme)
    report: dict[str, list[dict[str, Any]]] = {}
    for name, url in pages(corpus).items():
        page.goto(url)
        if name == "gate":
            assert page.locator("section.adult.notice").count() == 1
        report[name] = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in axe(page, axe_source)
        ]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{scheme}-{viewport['width']}.json").write_text(
        json.dumps(report, indent=2), encoding="utf-8"
    )
    blocking = {
        name: [v for v in violations if v["impact"] in BLOCKING]
        for name, violations in report.items()
    }
    assert not any(blocking.values()), json.dumps(blocking, indent=2)
