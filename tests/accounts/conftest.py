"""What the account tests share."""

from __future__ import annotations

import time
from types import SimpleNamespace

import django_ratelimit.core  # type: ignore[import-untyped]
import pytest


@pytest.fixture(autouse=True)
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttling counts tries in fixed windows (20 seconds for logins); a test's tries must
    not straddle a window's end, which happened on a slow machine and let the sixth try
    through. The rate limiter's clock stands still for each test; the counting is real."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
