"""A real Chromium, driven by Playwright's sync API, against pytest-django's live server.

The browser is Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run
installs it); Playwright's own browser downloads are never used. axe-core comes from the npm
registry through package-lock.json (`npm ci`). When either is missing, the tests are skipped with
a message saying what to install, so that the README's test command works on a fresh machine;
under CI (CI=true) they fail instead, so that CI can never pass without them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import ViewportSize

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}


def missing(message: str) -> None:
    """Stop a browser test whose tools are not installed: fail under CI, skip elsewhere."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing(
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
            "(as .ci/run does), or set CHROMIUM_PATH."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev dependencies include it
        pytest.fail("Playwright is missing: run `uv sync`.", pytrace=False)
    # Playwright's sync API keeps an event loop running in this thread; Django refuses database
    # calls from such a thread unless told that it is safe, as it is here: the loop only drives
    # the browser, and each test's own queries run synchronously.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Open pages on the live server: `new_page(viewport=PHONE, color_scheme="dark")`."""
    contexts = []

    def open_page(viewport: ViewportSize = DESKTOP, color_scheme: str = "light") -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            color_scheme=color_scheme,  # type: ignore[arg-type]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under test-artifacts/, named after the test."""

    def save(page: Page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        test = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
        path = ARTIFACTS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        missing(
            f"axe-core is missing at {AXE.relative_to(ROOT)}: run `npm ci` in the repository "
            "root (as .ci/run does)."
        )
    return AXE.read_text(encoding="utf-8")
