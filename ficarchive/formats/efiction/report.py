"""What an eFiction import did: rows read and written per table, every row left out and why,
every text repaired, and the notes an archivist should read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Report:
    source: str = ""
    dry_run: bool = False
    # Rows read per eFiction table, and rows made per archive kind.
    read: Counter[str] = field(default_factory=Counter)
    made: Counter[str] = field(default_factory=Counter)
    # Rows already imported by an earlier run, per eFiction table.
    already: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def skip(self, table: str, key: object, why: str) -> None:
        self.skipped.append(f"{table} {key}: {why}")

    def repair(self, table: str, key: object, column: str, before: str, after: str) -> None:
        self.repaired.append(f"{table} {key} {column}: {_short(before)!r} -> {_short(after)!r}")

    def repairer(self, table: str, key: object, column: str) -> Callable[[str, str], None]:
        """A callback for values.repaired that reports its repairs of this column."""

        def repair(before: str, after: str) -> None:
            self.repair(table, key, column, before, after)

        return repair

    def note(self, line: str) -> None:
        self.notes.append(line)

    def lines(self) -> list[str]:
        out = [
            f"eFiction import from {self.source}"
            + (" (dry run: nothing written)" if self.dry_run else "")
        ]
        out.append("Read:")
        out += [f"  {table}: {count}" for table, count in sorted(self.read.items())]
        out.append("Made:")
        out += [f"  {kind}: {count}" for kind, count in sorted(self.made.items())] or ["  nothing"]
        if self.already:
            out.append("Already imported (left as they are):")
            out += [f"  {table}: {count}" for table, count in sorted(self.already.items())]
        out.append(f"Skipped ({len(self.skipped)}):")
        out += [f"  {line}" for line in self.skipped]
        out.append(f"Repaired ({len(self.repaired)}):")
        out += [f"  {line}" for line in self.repaired]
        if self.notes:
            out.append("Notes:")
            out += [f"  {line}" for line in self.notes]
        return out


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
