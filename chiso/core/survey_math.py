"""The arithmetic of satisfaction surveys: sample sizes, shares, 95 % intervals, the index formula.

Pure Python (no Django). Percentages are Decimals rounded to two places for display;
the computations run on floats because they are estimates with an interval, not points.

Sample size (the earlier SIPAS guidance, QĐ 1383/QĐ-BNV): n = N / (1 + N·e²), rounded up,
where N is the number of dossiers a unit settled and e the margin of error (0,05 = 5 %).

The index formula is configurable (the national formula of QĐ 1001/QĐ-BNV is not public).
A formula is a dict:

    {"method": "top_share",        # share of favourable answers ("hài lòng", "rất hài lòng")
     "favourable": [4, 5],         # the levels that count as favourable (top_share only)
     "weights": {"E1": 1, ...}}    # element weights in the overall index (equal if absent)

or `"method": "mean_scale"`: the mean rating rescaled to 0–100 ((level − 1) / (levels − 1)).

- an item's index is its share of favourable answers among those who answered it, with a
  Wilson score interval (sound for small n and for shares near 0 or 100 %);
- an element's index is the mean of its items' indexes; the overall index the (weighted)
  mean of the elements' indexes;
- the interval of an element (and of the overall index) comes from the respondents: each
  respondent's own score on the element (their share of favourable answers over the
  element's items they answered) has a mean and a standard error; the interval is the
  index ± 1,96 standard errors, kept inside 0–100. When every respondent answers every
  item, the index and the mean of the respondents' scores are the same number.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

Z95 = 1.959964
MIN_CELL = 10  # fewer answers than this are not shown per unit (privacy and precision)
METHODS = ("top_share", "mean_scale")


class FormulaError(ValueError):
    """A formula that cannot be used; the message says what is wrong (in Vietnamese)."""


def sample_size(population: int, margin: Decimal | float | str = Decimal("0.05")) -> int:
    """n = N / (1 + N·e²), rounded up; 0 dossiers need 0 answers."""
    e = Decimal(str(margin))
    if population < 0:
        raise ValueError("population must not be negative")
    if not (Decimal("0") < e < Decimal("1")):
        raise ValueError("margin must be between 0 and 1")
    if population == 0:
        return 0
    n = Decimal(population) / (1 + Decimal(population) * e * e)
    return int(n.to_integral_value(rounding=ROUND_CEILING))


def percent(value: float | None) -> Decimal | None:
    """A share (0–1) as a percentage with two decimals."""
    if value is None or math.isnan(value):
        return None
    return Decimal(str(value * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n (as shares 0–1)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if k == 0 else min(p, max(0.0, centre - half))  # rounding must not exclude the share itself
    high = 1.0 if k == n else max(p, min(1.0, centre + half))
    return (low, high)


def mean_interval(values: Sequence[float], centre: float, z: float = Z95) -> tuple[float, float]:
    """centre ± z standard errors of the mean of `values`, kept within 0–1."""
    n = len(values)
    if n < 2:
        return (0.0, 1.0)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = z * math.sqrt(var / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Formula:
    method: str = "top_share"
    favourable: frozenset[int] = frozenset({4, 5})
    weights: Mapping[str, float] = field(default_factory=dict)

    def item_value(self, level: int, levels: int) -> float:
        """One answer's contribution (0–1) to its item's index."""
        if self.method == "mean_scale":
            return (level - 1) / (levels - 1) if levels > 1 else 1.0
        return 1.0 if level in self.favourable else 0.0


def parse_formula(spec: Mapping | None, levels: int) -> Formula:
    """A formula dict (see the module's docstring) checked against a scale of `levels` levels."""
    spec = dict(spec or {})
    method = spec.get("method", "top_share")
    if method not in METHODS:
        raise FormulaError(f"Cách tính '{method}' không có; chọn một trong: {', '.join(METHODS)}.")
    favourable = spec.get("favourable", [levels - 1, levels] if levels >= 4 else [levels])
    if not isinstance(favourable, (list, tuple)) or not favourable:
        raise FormulaError("Cần ghi các mức được tính là hài lòng, ví dụ [4, 5].")
    bad = [f for f in favourable if not isinstance(f, int) or isinstance(f, bool) or not 1 <= f <= levels]
    if bad:
        raise FormulaError(f"Mức hài lòng {bad[0]!r} ngoài thang đo 1–{levels}.")
    weights = spec.get("weights") or {}
    if not isinstance(weights, Mapping):
        raise FormulaError("Trọng số các yếu tố phải là một bảng mã yếu tố → trọng số.")
    clean: dict[str, float] = {}
    for code, w in weights.items():
        try:
            value = float(w)
        except (TypeError, ValueError):
            raise FormulaError(f"Trọng số của yếu tố {code} ('{w}') không phải là số.") from None
        if not math.isfinite(value) or value < 0:
            raise FormulaError(f"Trọng số của yếu tố {code} phải là số không âm.")
        clean[str(code)] = value
    if clean and not any(clean.values()):
        raise FormulaError("Tổng trọng số các yếu tố bằng 0.")
    return Formula(method=method, favourable=frozenset(favourable), weights=clean)


# -- aggregation ---------------------------------------------------------------------------------

@dataclass
class Cell:
    """An index with its sample: n answers (or respondents) and a 95 % interval, in %."""

    n: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None

    @property
    def shown(self) -> bool:
        return self.n >= MIN_CELL and self.value is not None


@dataclass
class GroupResult:
    respondents: int
    items: dict[str, Cell]
    elements: dict[str, Cell]
    overall: Cell


class _Tally:
    __slots__ = ("respondents", "item_sum", "item_k", "item_n", "element_scores", "overall_scores")

    def __init__(self, items, elements):
        self.respondents = 0
        self.item_sum = {q: 0.0 for q in items}
        self.item_k = {q: 0 for q in items}
        self.item_n = {q: 0 for q in items}
        self.element_scores: dict[str, list[float]] = {e: [] for e in elements}
        self.overall_scores: list[float] = []


def aggregate(responses: Iterable[tuple[object, Mapping[str, object]]], *,
              items: Mapping[str, str], levels: int, formula: Formula) -> dict[object, GroupResult]:
    """Indexes per group (e.g. a unit) from (group, answers) pairs, plus the key None for all groups.

    `items` maps each rated question's code to its element's code; answers map question codes
    to a level 1..levels (other answers — choices, text, "không trả lời" — are ignored).
    """
    elements = list(dict.fromkeys(items.values()))
    weights = [formula.weights.get(e, 1.0) if formula.weights else 1.0 for e in elements]
    by_element: dict[str, list[str]] = {e: [q for q, el in items.items() if el == e] for e in elements}
    tallies: dict[object, _Tally] = {}
    total = _Tally(items, elements)
    value_of = [0.0] + [formula.item_value(level, levels) for level in range(1, levels + 1)]
    favourable = formula.method == "top_share"
    for group, answers in responses:
        tally = tallies.get(group)
        if tally is None:
            tally = tallies[group] = _Tally(items, elements)
        tally.respondents += 1
        total.respondents += 1
        own: dict[str, float] = {}
        for e, codes in by_element.items():
            s = 0.0
            c = 0
            for q in codes:
                level = answers.get(q)
                if type(level) is not int or not 1 <= level <= levels:
                    continue
                v = value_of[level]
                s += v
                c += 1
                for t in (tally, total):
                    t.item_n[q] += 1
                    t.item_sum[q] += v
                    if favourable and v:
                        t.item_k[q] += 1
            if c:
                own[e] = s / c
                tally.element_scores[e].append(own[e])
                total.element_scores[e].append(own[e])
        if own:
            w = sum(weights[i] for i, e in enumerate(elements) if e in own)
            if w:
                score = sum(weights[i] * own[e] for i, e in enumerate(elements) if e in own) / w
                tally.overall_scores.append(score)
                total.overall_scores.append(score)
    out = {g: _result(t, items, by_element, elements, weights, favourable) for g, t in tallies.items()}
    out[None] = _result(total, items, by_element, elements, weights, favourable)
    return out


def _result(t: _Tally, items, by_element, elements, weights, favourable) -> GroupResult:
    item_cells: dict[str, float | None] = {}
    cells: dict[str, Cell] = {}
    for q in items:
        n = t.item_n[q]
        if not n:
            item_cells[q] = None
            cells[q] = Cell(0, None, None, None)
            continue
        share = t.item_sum[q] / n
        item_cells[q] = share
        low, high = wilson(t.item_k[q], n) if favourable else mean_interval_from(t, q, share)
        cells[q] = Cell(n, percent(share), percent(low), percent(high))
    element_cells: dict[str, Cell] = {}
    element_values: dict[str, float] = {}
    for e in elements:
        shares = [item_cells[q] for q in by_element[e] if item_cells[q] is not None]
        scores = t.element_scores[e]
        if not shares:
            element_cells[e] = Cell(len(scores), None, None, None)
            continue
        value = sum(shares) / len(shares)
        element_values[e] = value
        low, high = mean_interval(scores, value)
        element_cells[e] = Cell(len(scores), percent(value), percent(low), percent(high))
    if element_values:
        w = sum(weights[i] for i, e in enumerate(elements) if e in element_values)
        value = (sum(weights[i] * element_values[e] for i, e in enumerate(elements) if e in element_values) / w
                 if w else None)
    else:
        value = None
    if value is None:
        overall = Cell(len(t.overall_scores), None, None, None)
    else:
        low, high = mean_interval(t.overall_scores, value)
        overall = Cell(len(t.overall_scores), percent(value), percent(low), percent(high))
    return GroupResult(t.respondents, cells, element_cells, overall)


def mean_interval_from(t: _Tally, q: str, share: float) -> tuple[float, float]:
    """For the mean-scale formula an item's interval is not a proportion's: a conservative one.

    Without the answers' spread kept per item, the bound uses the largest variance a 0–1 value
    can have for this mean (share·(1 − share)), which is what the Wilson interval also assumes.
    """
    n = t.item_n[q]
    half = Z95 * math.sqrt(max(share * (1 - share), 0.0) / n) if n else 1.0
    return (max(0.0, share - half), min(1.0, share + half))

