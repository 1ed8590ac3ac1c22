"""Targets of a plan's table that must add up. Pure Python over Decimal.

A plan table lists fields, criteria and sub-criteria, often only those that lost points. A
parent row's target follows from its children's:

- when every listed child has a last-year score and a target, and the parent has a score, the
  parent gains what its children gain: target = score + Σ (child target − child score). This is
  right for a table that lists only some children (the others keep their score);
- otherwise, when the listed children are all of the parent (their max adds up to the
  parent's), the target is their sum;
- otherwise it cannot be derived, and stays as it is.

Tables whose parents are means of their children (SIPAS, in %) are not summed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .tree import TOLERANCE, build, fmt

ZERO = Decimal(0)


@dataclass(frozen=True)
class SumRow:
    code: str
    max_points: Decimal | None
    baseline: Decimal | None
    target: Decimal | None


def derived_targets(rows: Sequence[SumRow]) -> dict[str, Decimal | None]:
    """The target each parent row should have, from its children's (rows in table order);
    a parent whose target cannot be derived maps to None. Leaves are not in the result."""
    by_code = {r.code: r for r in rows if r.code}
    roots = build((r.code, "", None) for r in rows if r.code)
    out: dict[str, Decimal | None] = {}

    def target_of(node) -> Decimal | None:
        if not node.children:
            return by_code[node.code].target
        parts = [(by_code[c.code], target_of(c)) for c in node.children]
        row = by_code[node.code]
        if row.baseline is not None and all(child.baseline is not None and t is not None for child, t in parts):
            value = row.baseline + sum((t - child.baseline for child, t in parts), ZERO)
        elif all(t is not None for _, t in parts) and row.max_points is not None and all(
                child.max_points is not None for child, _ in parts) and abs(
                sum((child.max_points for child, _ in parts), ZERO) - row.max_points) <= TOLERANCE:
            value = sum((t for _, t in parts), ZERO)
        else:
            value = None
        out[node.code] = value
        return value

    for root in roots:
        target_of(root)
    return out


def target_problems(rows: Sequence[SumRow]) -> list[tuple[str, str]]:
    """(code, message) for each target outside 0 … max, and each parent whose target is not what
    its children's targets make."""
    problems: list[tuple[str, str]] = []
    for r in rows:
        if r.target is None:
            continue
        if r.target < 0:
            problems.append((r.code, f"mục tiêu {fmt(r.target)} nhỏ hơn 0"))
        elif r.max_points is not None and r.target > r.max_points:
            problems.append((r.code, f"mục tiêu {fmt(r.target)} lớn hơn điểm tối đa {fmt(r.max_points)}"))
    by_code = {r.code: r for r in rows if r.code}
    for code, derived in derived_targets(rows).items():
        printed = by_code[code].target
        if derived is not None and printed is not None and abs(derived - printed) > TOLERANCE:
            problems.append((code, f"mục tiêu {fmt(printed)} nhưng các mục con cho {fmt(derived)} "
                                   f"(chênh {fmt(printed - derived)})"))
    return problems


def check_target(value: Decimal, max_points: Decimal | None) -> str | None:
    """Why a typed target cannot be saved, or None."""
    if value < 0:
        return f"Mục tiêu {fmt(value)} nhỏ hơn 0."
    if max_points is not None and value > max_points:
        return f"Mục tiêu {fmt(value)} lớn hơn điểm tối đa {fmt(max_points)}."
    return None
