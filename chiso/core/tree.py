"""Criteria trees: structure from codes, and the checks that points add up.

Pure Python. A framework is refused when a parent's max differs from the sum of
its children's, or the fields from the total; a document's printed scores are
only flagged (the numbers stay as printed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from chiso.core.numbers import format_decimal

TOLERANCE = Decimal("0.00001")


@dataclass
class Node:
    code: str
    name: str
    value: Decimal | None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


@dataclass(frozen=True)
class SumMismatch:
    code: str  # the parent's code, or "" for the total
    name: str
    printed: Decimal
    computed: Decimal
    children: tuple[str, ...]

    @property
    def gap(self) -> Decimal:
        return self.printed - self.computed

    def describe(self, what: str = "điểm") -> str:
        who = f"{self.code} {self.name}".strip() if self.code else "Tổng điểm"
        return (
            f"{who}: {what} in ra {fmt(self.printed)} nhưng các mục con "
            f"({', '.join(self.children)}) cộng lại được {fmt(self.computed)} (chênh {fmt(self.gap)})"
        )


def fmt(value: Decimal) -> str:
    """Decimal comma, no trailing zeros: Decimal("12.9050") → "12,905" (chiso.core.numbers); a
    float to six decimals at most, as before."""
    return format_decimal(value, 6, trim=True) if isinstance(value, float) else format_decimal(value)


def parent_code(code: str) -> str | None:
    parts = code.split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def build(rows: Iterable[tuple[str, str, Decimal | None]]) -> list[Node]:
    """Nodes from (code, name, value) rows in document order; returns the roots.

    A row's parent is the nearest earlier row whose code is its code's prefix
    ("1.3.1" under "1.3"); a code whose prefix never appeared becomes a root.
    """
    by_code: dict[str, Node] = {}
    roots: list[Node] = []
    for code, name, value in rows:
        node = Node(code=code, name=name, value=value)
        pcode = parent_code(code)
        parent = by_code.get(pcode) if pcode else None
        while parent is None and pcode:
            pcode = parent_code(pcode)
            parent = by_code.get(pcode) if pcode else None
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)
        by_code[code] = node
    return roots


def sum_mismatches(roots: Sequence[Node], total: Decimal | None = None) -> list[SumMismatch]:
    """Every parent whose value differs from the sum of its children's values.

    Parents or children without a value are skipped (nothing to compare).
    """
    out: list[SumMismatch] = []

    def walk(node: Node) -> None:
        for child in node.children:
            walk(child)
        if node.children and node.value is not None:
            values = [c.value for c in node.children]
            if all(v is not None for v in values):
                computed = sum(values, Decimal(0))
                if abs(computed - node.value) > TOLERANCE:
                    out.append(SumMismatch(node.code, node.name, node.value, computed,
                                           tuple(c.code for c in node.children)))

    for root in roots:
        walk(root)
    if total is not None:
        values = [r.value for r in roots]
        if values and all(v is not None for v in values):
            computed = sum(values, Decimal(0))
            if abs(computed - total) > TOLERANCE:
                out.append(SumMismatch("", "", total, computed, tuple(r.code for r in roots)))
    return out


def leaves(roots: Sequence[Node]) -> list[Node]:
    out: list[Node] = []

    def walk(node: Node) -> None:
        if not node.children:
            out.append(node)
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    return out


class TreeError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def validate_framework(rows: Sequence[Mapping[str, object]], total: Decimal) -> list[Node]:
    """Checks a framework tree given as rows with code, name, max_points.

    Raises TreeError naming each criterion whose children do not add up, each
    duplicate or orphan code, and a total that the fields do not reach.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for row in rows:
        code = str(row["code"])
        if code in seen:
            problems.append(f"Mã {code} bị trùng")
        seen.add(code)
        pcode = parent_code(code)
        if pcode and pcode not in seen:
            problems.append(f"Tiêu chí {code} không có tiêu chí cha {pcode} đứng trước")
    roots = build((str(r["code"]), str(r["name"]), Decimal(str(r["max_points"]))) for r in rows)
    for mismatch in sum_mismatches(roots, total):
        problems.append(mismatch.describe("điểm tối đa"))
    if problems:
        raise TreeError(problems)
    return roots
