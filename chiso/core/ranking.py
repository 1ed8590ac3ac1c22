"""Ranks, projected totals and "what it takes" to reach a rank. Pure Python over Decimal.

- Ranks are competition ranks: equal totals share a rank and the next rank skips
  (90, 88, 88, 85 → 1, 2, 2, 4), as the ministry's tables print them.
- A projection replaces criteria's scores by their targets and recomputes only the
  parents above a changed criterion; the rest keeps the printed figures, so a
  document's own rounding (a field printed 12.905 over criteria adding to 12.9045)
  stays as printed until a target touches that field.
- The cheapest recovery is greedy with a preference order: criteria won back by
  action (appraisal) first, then statistics, unclassified, and survey criteria last;
  within the last tier needed, the fewest criteria, then the least overshoot.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Hashable, Iterable, Mapping, Sequence

from .tree import Node, build

ZERO = Decimal(0)
PREFERENCE = ("appraisal", "statistics", "computed", "", "survey")


def competition_ranks(totals: Mapping[Hashable, Decimal]) -> dict[Hashable, int]:
    """Rank of each key by total, highest first; ties share the rank."""
    ordered = sorted(totals.values(), reverse=True)
    first_at: dict[Decimal, int] = {}
    for i, value in enumerate(ordered):
        first_at.setdefault(value, i + 1)
    return {key: first_at[value] for key, value in totals.items()}


def projected_rank(others: Iterable[Decimal], total: Decimal) -> int:
    """The rank a total would have among the other units' totals."""
    return 1 + sum(1 for o in others if o > total)


def total_for_rank(others: Sequence[Decimal], rank: int) -> Decimal:
    """The least total that reaches `rank` (or better) among the others' totals.

    Rank r needs at most r − 1 others strictly above: the r-th highest of the
    others is enough (a tie shares its rank). Rank 1 needs the current best.
    """
    if rank < 1:
        raise ValueError("rank starts at 1")
    ordered = sorted(others, reverse=True)
    if rank > len(ordered):
        return ZERO
    return ordered[rank - 1]


def rank_bounds(entries: Sequence[tuple[Decimal | None, int | None]], total: Decimal) -> tuple[int, int | None]:
    """The rank a total would have among a table that may be incomplete: (best, worst).

    Entries are the other units' (total, printed rank), either of which may be
    missing. With every total known both ends are the exact rank; otherwise the
    printed ranks of the known neighbours bound it (None: no known unit below).
    """
    above = [(t, r) for t, r in entries if t is not None and t > total]
    best = 1 + len(above)
    worst: int | None = None
    for t, r in entries:
        if t is None or r is None:
            continue
        if t > total:
            best = max(best, r + 1)
        elif t == total:
            best, worst = max(best, r), r if worst is None else min(worst, r)
        else:
            worst = r if worst is None else min(worst, r)
    if all(t is not None for t, _ in entries):
        exact = projected_rank([t for t, _ in entries], total)
        return exact, exact
    return best, worst


def total_needed(entries: Sequence[tuple[Decimal | None, int | None]], rank: int) -> tuple[Decimal | None, bool]:
    """The least total sure to reach `rank` among the others: (total, exact).

    With every total known it is exact; with a partial table it is the lowest
    known total printed at `rank` or better (a safe estimate), or None if none is.
    """
    if all(t is not None for t, _ in entries):
        return total_for_rank([t for t, _ in entries], rank), True
    known = [t for t, r in entries if t is not None and r is not None and r <= rank]
    return (min(known) if known else None), False


# -- projection -----------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectionRow:
    code: str
    max_points: Decimal | None
    score: Decimal | None
    target: Decimal | None = None


@dataclass
class Projection:
    total: Decimal | None
    values: dict[str, Decimal | None]  # code → projected value
    changed: list[str]  # leaves whose target differs from their score
    conflicts: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # (code, target, rolled up)


def project(rows: Sequence[ProjectionRow], *, aggregation: str = "sum",
            printed_total: Decimal | None = None) -> Projection:
    """Each criterion's projected value when targets replace scores (rows in tree order)."""
    by_code = {r.code: r for r in rows}
    roots = build((r.code, "", None) for r in rows if r.code)
    values: dict[str, Decimal | None] = {}
    changed: list[str] = []
    conflicts: list[tuple[str, Decimal, Decimal]] = []

    def combine(parts: list[Decimal]) -> Decimal:
        total = sum(parts, ZERO)
        return total / len(parts) if aggregation == "mean" and parts else total

    def walk(node: Node) -> bool:
        row = by_code[node.code]
        if not node.children:
            value = row.target if row.target is not None else row.score
            values[node.code] = value
            moved = row.target is not None and row.target != row.score
            if moved:
                changed.append(node.code)
            return moved
        moved = False
        for child in node.children:
            moved = walk(child) or moved
        parts = [values[c.code] for c in node.children]
        rolled = combine(parts) if all(p is not None for p in parts) else None
        if moved and rolled is not None:
            values[node.code] = rolled
        else:
            values[node.code] = row.score if row.score is not None else rolled
            moved = moved and rolled is None and row.score is None
        if row.target is not None and rolled is not None and abs(row.target - rolled) > Decimal("0.00001"):
            conflicts.append((node.code, row.target, rolled))
        return moved

    any_moved = False
    for root in roots:
        any_moved = walk(root) or any_moved
    parts = [values[r.code] for r in roots]
    if not any_moved and printed_total is not None:
        total = printed_total
    elif parts and all(p is not None for p in parts):
        total = combine(parts)
    else:
        total = None
    return Projection(total, values, changed, conflicts)


# -- what it takes --------------------------------------------------------------------
@dataclass(frozen=True)
class Recoverable:
    code: str
    name: str
    lost: Decimal
    method: str = ""


@dataclass
class Recovery:
    needed: Decimal
    chosen: list[Recoverable]
    reachable: bool

    @property
    def recovered(self) -> Decimal:
        return sum((c.lost for c in self.chosen), ZERO)

    @property
    def surplus(self) -> Decimal:
        return self.recovered - self.needed


def tier(method: str) -> int:
    return PREFERENCE.index(method) if method in PREFERENCE else PREFERENCE.index("")


def cheapest_recovery(candidates: Iterable[Recoverable], needed: Decimal) -> Recovery:
    """The criteria to win back in full so that the total gains at least `needed` points."""
    pool = sorted((c for c in candidates if c.lost > 0), key=lambda c: (tier(c.method), -c.lost, c.code))
    if needed <= 0:
        return Recovery(needed, [], True)
    if sum((c.lost for c in pool), ZERO) < needed:
        return Recovery(needed, pool, False)
    chosen: list[Recoverable] = []
    got = ZERO
    last_tier = 0
    for t in sorted({tier(c.method) for c in pool}):
        level = [c for c in pool if tier(c.method) == t]
        level_sum = sum((c.lost for c in level), ZERO)
        if got + level_sum < needed:
            chosen += level
            got += level_sum
            continue
        last_tier = t
        picks: list[Recoverable] = []
        for c in level:  # largest first: the fewest criteria of this tier
            picks.append(c)
            if got + sum((p.lost for p in picks), ZERO) >= needed:
                break
        # the last pick: the smallest criterion of the tier that still closes the gap
        before = got + sum((p.lost for p in picks[:-1]), ZERO)
        rest = [c for c in level if c not in picks[:-1] and before + c.lost >= needed]
        picks[-1] = min(rest, key=lambda c: (c.lost, c.code))
        chosen += picks
        break
    # drop what became unnecessary: the least preferred tier's largest first, then the smallest
    for c in sorted(chosen, key=lambda c: (0, -c.lost) if tier(c.method) == last_tier else (1, c.lost)):
        if sum((x.lost for x in chosen), ZERO) - c.lost >= needed:
            chosen.remove(c)
    chosen.sort(key=lambda c: (tier(c.method), -c.lost, c.code))
    return Recovery(needed, chosen, True)
