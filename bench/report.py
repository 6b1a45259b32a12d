"""Figures, statistics and the printed/markdown tables. Pure functions only (tested offline)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

GUARD_FACTOR = 2.0


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Measure:
    """One measured number and its limit (smaller is better)."""

    label: str
    value: float
    limit: float
    unit: str = ""
    # A target this version does not reach has a ceiling instead of GUARD_FACTOR x target,
    # so the guard still catches it getting worse. Each one is explained where it is set.
    ceiling: float | None = None

    @property
    def ratio(self) -> float:
        """How far past the limit: value / limit (inf when the limit is 0 and value > 0)."""
        if self.limit == 0:
            return 0.0 if self.value == 0 else math.inf
        return self.value / self.limit

    @property
    def ok(self) -> bool:
        return self.value <= self.limit

    @property
    def guard(self) -> float:
        return self.ceiling if self.ceiling is not None else self.limit * GUARD_FACTOR

    @property
    def within_guard(self) -> bool:
        return self.value <= self.guard


@dataclass
class Figure:
    number: str
    title: str
    measures: list[Measure] = field(default_factory=list)
    checks: list[tuple[str, bool]] = field(default_factory=list)
    baseline: str = ""
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(m.ok for m in self.measures) and self._checks_ok

    @property
    def within_guard(self) -> bool:
        return self.error is None and all(m.within_guard for m in self.measures) and self._checks_ok

    @property
    def _checks_ok(self) -> bool:
        return all(passed for _, passed in self.checks)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "ERROR"
        if self.ok:
            return "ok"
        worst = max((m.ratio for m in self.measures if not m.ok), default=1.0)
        failed_checks = [name for name, passed in self.checks if not passed]
        parts = []
        if any(not m.ok for m in self.measures):
            # Rounded up, so a miss never reads "1.00x".
            shown = "inf" if math.isinf(worst) else f"{math.ceil(worst * 100) / 100:.2f}x target"
            parts.append(shown)
        parts.extend(f"failed: {name}" for name in failed_checks)
        ceilings = [
            f"{m.label} ceiling {fmt_value(m.ceiling, m.unit)}".strip()
            for m in self.measures
            if m.ceiling is not None and not m.ok
        ]
        parts.extend(f"known miss, guard: {text}" for text in ceilings)
        verdict = "MISS" if self.within_guard else "FAIL"
        return f"{verdict} ({'; '.join(parts)})"


def fmt_value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "B":
        return f"{value:.0f} B" if value < 10_000 else f"{value / 1024:.1f} KiB"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "x":
        return f"{value:.2f}x"
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
    return f"{number} {unit}" if unit else number


def measure_text(m: Measure) -> str:
    return f"{m.label} {fmt_value(m.value, m.unit)}".strip()


def limit_text(m: Measure) -> str:
    return f"{m.label} ≤ {fmt_value(m.limit, m.unit)}".strip()


def table_rows(figures: Sequence[Figure]) -> list[tuple[str, str, str, str, str, str]]:
    rows = []
    for fig in figures:
        if fig.error is not None:
            first = fig.error.splitlines()[0][:100] if fig.error else ""
            rows.append((fig.number, fig.title, "—", "—", fig.baseline, f"ERROR: {first}"))
            continue
        measured = "; ".join(measure_text(m) for m in fig.measures)
        target = "; ".join(limit_text(m) for m in fig.measures)
        checks = [f"{name}: {'yes' if ok else 'NO'}" for name, ok in fig.checks]
        if checks:
            measured = "; ".join([measured, *checks]) if measured else "; ".join(checks)
        rows.append((fig.number, fig.title, measured, target, fig.baseline, fig.status))
    return rows


HEADERS = ("#", "Figure", "Measured", "Target", "Baseline", "Status")


def text_table(figures: Sequence[Figure]) -> str:
    rows = [HEADERS, *table_rows(figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(figures: Sequence[Figure]) -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    for row in table_rows(figures):
        lines.append("| " + " | ".join(_md_cell(cell) for cell in row) + " |")
    return "\n".join(lines)


def failures(figures: Sequence[Figure]) -> list[Figure]:
    """Figures worse than GUARD_FACTOR times their target (or that could not be measured)."""
    return [fig for fig in figures if not fig.within_guard]
