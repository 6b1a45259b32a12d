"""Column widths that follow the window and the data (the message table, the endpoint list).

Each column wants the width of its widest value (and of its header), within its own bounds.
When the wanted widths do not fit, the widest columns give way first, down to their minimum,
so no one column is cut while another keeps blank space; when even the minimums do not fit,
columns are hidden in a fixed order (the least needed first). When there is room to spare,
the last column takes it, so a highlighted row spans the whole table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    min_width: int
    max_width: int
    # Hidden first when the minimums do not fit: lower numbers go first; None is never hidden.
    hide_order: int | None = None
    # The header when the label does not fit (a column need not be wider than this).
    short_label: str | None = None

    def header(self, width: int) -> str:
        """The label, or the short one when the label is wider than `width`."""
        if len(self.label) <= width or self.short_label is None:
            return self.label
        return self.short_label


def fit_columns(
    specs: Sequence[ColumnSpec],
    wanted: Mapping[str, int],
    available: int,
    *,
    padding: int = 0,
) -> dict[str, int]:
    """Widths of the columns shown, in the order of `specs` (hidden columns are left out).

    `wanted` is the width of each column's widest value (missing: as wide as its header);
    `padding` is the room each shown column takes besides its width.
    """
    shown = list(specs)
    droppable = sorted(
        (spec for spec in specs if spec.hide_order is not None),
        key=lambda spec: spec.hide_order or 0,
    )
    while droppable and sum(spec.min_width + padding for spec in shown) > available:
        shown.remove(droppable.pop(0))
    budget = max(0, available - padding * len(shown))
    want = {
        spec.key: max(
            spec.min_width,
            min(spec.max_width, max(wanted.get(spec.key, 0), len(spec.short_label or spec.label))),
        )
        for spec in shown
    }
    total = sum(want.values())
    if total <= budget:
        widths = dict(want)
        if shown:
            widths[shown[-1].key] += budget - total
        return widths
    return _shrink(shown, want, budget)


def _shrink(shown: Sequence[ColumnSpec], want: dict[str, int], budget: int) -> dict[str, int]:
    """Cut the widest columns to one level (never below their minimum) so they fit `budget`."""

    def at(level: int) -> dict[str, int]:
        return {spec.key: max(spec.min_width, min(want[spec.key], level)) for spec in shown}

    low, high = 0, max(want.values(), default=0)
    while low < high:  # the highest level that fits
        middle = (low + high + 1) // 2
        if sum(at(middle).values()) <= budget:
            low = middle
        else:
            high = middle - 1
    widths = at(low)
    spare = budget - sum(widths.values())
    for spec in shown:  # what is left over goes to the cut columns, left to right
        if spare <= 0:
            break
        if widths[spec.key] < want[spec.key]:
            widths[spec.key] += 1
            spare -= 1
    return widths
