"""Paths to the sample records and small record texts for tests."""

from pathlib import Path

# Copies of ../shared/samples/, so that the tests run from a clone on its own;
# test_samples_match_the_shared_originals checks that they have not drifted.
SAMPLES = Path(__file__).resolve().parent / "samples"
SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SINGLE = SAMPLES / "single-chapter.txt"
MULTI = SAMPLES / "multi-chapter.txt"

MINIMAL = """Title: A Small Work
Work ID: 42
Author: smallwriter
Rating: General Audiences
Language: English
Status: Completed
Chapters: 1/1

A few words.
"""


def with_header(*lines: str, body: str = "Some text.") -> str:
    """A record with the given header lines (after Title and Author) and body."""
    return "\n".join(["Title: T", "Author: writer", *lines]) + "\n\n" + body + "\n"
