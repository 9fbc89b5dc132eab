"""Checking feeds and catalogues with real validators: feedparser reads every Atom document,
Jing (Debian's libjing-java, which EPUBCheck brings) validates it against the RELAX NG schemas
in ../shared/reference/opds, and jsonschema validates OPDS 2.0 documents against the JSON
schemas there, with every $ref resolved from the local files (no network).

rnc2rng cannot read the OPDS schema (it has no `string - (...)` exceptions), so the compact
schemas go to Jing as they are, many documents to one run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import feedparser
import pytest
from jsonschema import Draft7Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "opds"
JING = Path("/usr/share/java/jing.jar")
ATOM_SCHEMA = REFERENCE / "atom.rnc"
OPDS_SCHEMA = REFERENCE / "opds-1.2-fixed.rnc"


def _reference() -> Path:
    """The schemas: beside the repository (../shared), or where OPDS_REFERENCE says."""
    found = Path(os.environ.get("OPDS_REFERENCE", REFERENCE))
    if not (found / "atom.rnc").exists():
        _missing(f"The OPDS reference schemas are not at {found}")
    return found


def _missing(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def parse_atom(body: bytes) -> Any:
    """The document as feedparser reads it; it must be well-formed."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def relaxng_errors(documents: list[bytes], schema: str = "atom.rnc") -> list[str]:
    """Jing's findings for these documents against one of the compact schemas (empty when
    every one is valid)."""
    if not (JING.exists() and shutil.which("java")):
        _missing("Jing is not installed: apt-get install libjing-java (epubcheck brings it)")
    schema_path = _reference() / schema
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, document in enumerate(documents):
            path = Path(folder) / f"document{number}.xml"
            path.write_bytes(document)
            paths.append(str(path))
        run = subprocess.run(
            ["java", "-jar", str(JING), "-c", str(schema_path), *paths],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    return [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]


# Python's re has no `(?<name>...)`; the schemas use it in a few patterns.
_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z])")


@cache
def _registry() -> tuple[Registry, dict[str, Any]]:
    resources = []
    schemas: dict[str, Any] = {}
    for path in sorted((_reference() / "schemas").rglob("*.schema.json")):
        text = _NAMED_GROUP.sub("(?P<", path.read_text(encoding="utf-8"))
        contents = json.loads(text)
        resources.append((contents["$id"], Resource.from_contents(contents)))
        schemas[path.name if "opds" in path.parts else f"readium/{path.name}"] = contents
    return Registry().with_resources(resources), schemas


def opds2_errors(document: Any) -> list[str]:
    """What the OPDS 2.0 feed schema finds wrong with a document (empty when valid)."""
    registry, schemas = _registry()
    validator = Draft7Validator(schemas["feed.schema.json"], registry=registry)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
