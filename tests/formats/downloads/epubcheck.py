"""Running Debian's EPUBCheck over built files: its findings of every severity, per file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

JAR = Path("/usr/share/java/epubcheck.jar")


def require_epubcheck() -> None:
    """Skip without EPUBCheck (fail under CI, which installs it)."""
    if JAR.exists() and shutil.which("java"):
        return
    message = "EPUBCheck is not installed: apt-get install epubcheck"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _check(path: Path) -> list[str]:
    report = path.with_suffix(".json")
    subprocess.run(
        ["java", "-jar", str(JAR), str(path), "--json", str(report)],
        capture_output=True,
        check=False,
        timeout=300,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    return [
        f"{m['severity']} {m['ID']}: {m['message']} at "
        + ", ".join(f"{loc['path']}:{loc['line']}" for loc in m.get("locations", [])[:3])
        for m in data["messages"]
    ]


def epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck's messages (errors, warnings and anything else) for each file, two at a time
    (its start-up is most of its time on small files)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(paths, pool.map(_check, paths), strict=True))
