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
from collections import Counter
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


def mean_interval(values: Sequence[float], centre: float) -> tuple[float, float]:
    """centre ± 1,96 standard errors of the mean of `values`, kept within 0–1."""
    return _interval_from_sums(len(values), sum(values), sum(v * v for v in values), centre)


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
    """Running sums of one group: answers per item and level; per element and overall the
    respondents' own scores as n, Σx and Σx² (enough for a mean and its standard error)."""

    __slots__ = ("respondents", "levels", "element_n", "element_sum", "element_sq", "overall")

    def __init__(self, n_items: int, n_elements: int, levels: int):
        self.respondents = 0
        self.levels = [[0] * (levels + 1) for _ in range(n_items)]
        self.element_n = [0] * n_elements
        self.element_sum = [0.0] * n_elements
        self.element_sq = [0.0] * n_elements
        self.overall = [0, 0.0, 0.0]

    def add(self, other: "_Tally") -> None:
        self.respondents += other.respondents
        for mine, theirs in zip(self.levels, other.levels):
            for level, count in enumerate(theirs):
                mine[level] += count
        for j in range(len(self.element_n)):
            self.element_n[j] += other.element_n[j]
            self.element_sum[j] += other.element_sum[j]
            self.element_sq[j] += other.element_sq[j]
        for j in range(3):
            self.overall[j] += other.overall[j]


UNANSWERED = "0"


def encode_levels(answers: Mapping[str, object], codes: Sequence[str], levels: int) -> str:
    """The rated answers as one character each, in `codes` order: chr(48 + level), "0" when unanswered
    or not a level of the scale ("5305…"). A compact form of a response that aggregates fast."""
    out = []
    for q in codes:
        level = answers.get(q)
        out.append(chr(48 + level) if level.__class__ is int and 1 <= level <= levels else UNANSWERED)
    return "".join(out)


def aggregate(responses: Iterable[tuple[object, Mapping[str, object]]], *,
              items: Mapping[str, str], levels: int, formula: Formula) -> dict[object, GroupResult]:
    """Indexes per group (e.g. a unit) from (group, answers) pairs, plus the key None for all groups.

    `items` maps each rated question's code to its element's code; answers map question codes
    to a level 1..levels (other answers — choices, text, "không trả lời" — are ignored).
    """
    codes = list(items)
    return aggregate_encoded(((g, encode_levels(a, codes, levels)) for g, a in responses),
                             items=items, levels=levels, formula=formula)


def aggregate_encoded(rows: Iterable[tuple[object, str]], *, items: Mapping[str, str], levels: int,
                      formula: Formula) -> dict[object, GroupResult]:
    """As `aggregate`, from (group, encode_levels(...)) pairs. Identical answers of a group are
    counted first and worked out once: 40,000 responses take a fraction of a second."""
    elements = list(dict.fromkeys(items.values()))
    codes = list(items)
    weights = [formula.weights.get(e, 1.0) if formula.weights else 1.0 for e in elements]
    plan = [(j, [codes.index(q) for q in codes if items[q] == e]) for j, e in enumerate(elements)]
    # an answer's byte → its item value; None for "0" (unanswered) and anything off the scale
    value_of: list[float | None] = [None] * 256
    for level in range(1, levels + 1):
        value_of[48 + level] = formula.item_value(level, levels)
    tallies: dict[object, _Tally] = {}
    for (group, code), k in Counter(rows).items():
        tally = tallies.get(group)
        if tally is None:
            tally = tallies[group] = _Tally(len(codes), len(elements), levels)
        tally.respondents += k
        counts = tally.levels
        answer = code.encode("ascii", "replace")
        size = len(answer)
        w_sum = score_sum = 0.0
        for j, members in plan:
            s = 0.0
            c = 0
            for i in members:
                if i >= size:
                    continue
                byte = answer[i]
                v = value_of[byte]
                if v is None:
                    continue
                counts[i][byte - 48] += k
                s += v
                c += 1
            if c:
                own = s / c
                tally.element_n[j] += k
                tally.element_sum[j] += k * own
                tally.element_sq[j] += k * own * own
                w_sum += weights[j]
                score_sum += weights[j] * own
        if w_sum:
            score = score_sum / w_sum
            tally.overall[0] += k
            tally.overall[1] += k * score
            tally.overall[2] += k * score * score
    total = _Tally(len(codes), len(elements), levels)
    for tally in tallies.values():
        total.add(tally)
    shape = (codes, elements, plan, weights, [0.0] + [formula.item_value(lv, levels) for lv in range(1, levels + 1)],
             formula.method == "top_share")
    out = {g: _result(t, shape) for g, t in tallies.items()}
    out[None] = _result(total, shape)
    return out


def _interval_from_sums(n: int, total: float, squares: float, centre: float) -> tuple[float, float]:
    """centre ± 1,96 standard errors of a mean known by n, Σx and Σx²."""
    if n < 2:
        return (0.0, 1.0)
    var = max(0.0, (squares - total * total / n) / (n - 1))
    half = Z95 * math.sqrt(var / n)
    return (max(0.0, min(centre, centre - half)), min(1.0, max(centre, centre + half)))


def _result(t: _Tally, shape) -> GroupResult:
    codes, elements, plan, weights, value_of, favourable = shape
    cells: dict[str, Cell] = {}
    shares: list[float | None] = []
    for i, q in enumerate(codes):
        counts = t.levels[i]
        n = sum(counts)
        if not n:
            shares.append(None)
            cells[q] = Cell(0, None, None, None)
            continue
        total = sum(value_of[level] * count for level, count in enumerate(counts))
        share = total / n
        shares.append(share)
        if favourable:
            low, high = wilson(round(total), n)
        else:
            half = Z95 * math.sqrt(max(share * (1 - share), 0.0) / n)
            low, high = max(0.0, share - half), min(1.0, share + half)
        cells[q] = Cell(n, percent(share), percent(low), percent(high))
    element_cells: dict[str, Cell] = {}
    element_values: dict[int, float] = {}
    for j, members in plan:
        n = t.element_n[j]
        known = [shares[i] for i in members if shares[i] is not None]
        if not known:
            element_cells[elements[j]] = Cell(n, None, None, None)
            continue
        value = sum(known) / len(known)
        element_values[j] = value
        low, high = _interval_from_sums(n, t.element_sum[j], t.element_sq[j], value)
        element_cells[elements[j]] = Cell(n, percent(value), percent(low), percent(high))
    n, total, squares = t.overall
    w = sum(weights[j] for j in element_values)
    if element_values and w:
        value = sum(weights[j] * v for j, v in element_values.items()) / w
        low, high = _interval_from_sums(n, total, squares, value)
        overall = Cell(n, percent(value), percent(low), percent(high))
    else:
        overall = Cell(n, None, None, None)
    return GroupResult(t.respondents, cells, element_cells, overall)
