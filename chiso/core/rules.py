"""A small, safe expression language for computed criteria. Pure Python, no `eval`.

A rule turns a year's raw inputs into a criterion's points, e.g.

    ratio(on_time, received) * max_points          # 101835 / 102337 × 1,5 = 1,4926
    if(inspected / units >= 30%, max_points, 0)    # a threshold: full points from 30 %
    step(initiatives, 1, 1, 2, 2)                  # 1 point from 1 initiative, 2 from 2
    if(revenue > prev(revenue), max_points, 0)     # higher than last year → full points

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "×" | "/" | "÷") unary)*
    unary   := "-" unary | "+" unary | primary
    primary := NUMBER ["%"] | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Numbers use a decimal point ("1.5"); "30%" is 0.30. Names are inputs of the year,
`max_points` (the criterion's maximum), or functions: min, max, abs, round(x[, n]),
floor(x[, n]), clamp(x, lo, hi), ratio(a, b), if(cond, a, b) (only the branch taken is
evaluated), step(x, t1, p1, t2, p2, ...) (the points of the highest threshold reached,
0 below the first) and prev(name) (the input's value last year).

Every failure is a RuleError naming the position (1-based character) in Vietnamese;
nothing else escapes `parse` or `evaluate`, whatever the text.
"""
from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Mapping

from chiso.core.numbers import format_decimal

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_DIGITS = 40
MAX_TOKENS = 400
POINTS_Q = Decimal("0.0001")
CONTEXT = decimal.Context(prec=28, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


class RuleError(ValueError):
    """A rule that cannot be read or computed; `position` is 0-based (None: the whole rule)."""

    def __init__(self, message: str, position: int | None = None):
        self.message, self.position = message, position
        where = f"ký tự thứ {position + 1}: " if position is not None else ""
        super().__init__(f"Công thức, {where}{message}")


# -- tokens ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # num, name, op, (, ), ",", end
    text: str
    pos: int


TWO_CHAR = {"<=", ">=", "==", "!="}
ONE_CHAR = {"<": "<", ">": ">", "+": "+", "-": "-", "*": "*", "/": "/", "×": "*", "÷": "/", "=": "==",
            "%": "%", "−": "-"}


def tokenize(text: str) -> list[Token]:
    if not isinstance(text, str):
        raise RuleError("công thức phải là văn bản")
    if len(text) > MAX_LENGTH:
        raise RuleError(f"công thức dài quá {MAX_LENGTH} ký tự")
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif "0" <= c <= "9" or (c == "." and i + 1 < n and "0" <= text[i + 1] <= "9"):
            start = i
            while i < n and ("0" <= text[i] <= "9" or text[i] == "."):
                i += 1
            number = text[start:i]
            if number.count(".") > 1:
                raise RuleError(f"số '{number}' có nhiều hơn một dấu chấm thập phân", start)
            if len(number) > MAX_DIGITS:
                raise RuleError("số quá dài", start)
            tokens.append(Token("num", number, start))
        elif c.isalpha() or c == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            word = text[start:i]
            kind = "op" if word in {"and", "or", "not"} else "name"
            tokens.append(Token(kind, word, start))
        elif text[i:i + 2] in TWO_CHAR:
            tokens.append(Token("op", text[i:i + 2], i))
            i += 2
        elif c in ONE_CHAR:
            tokens.append(Token("op", ONE_CHAR[c], i))
            i += 1
        elif c in "(),;":
            tokens.append(Token("," if c in ",;" else c, c, i))
            i += 1
        else:
            raise RuleError(f"ký tự '{c}' không dùng được trong công thức", i)
    if len(tokens) > MAX_TOKENS:
        raise RuleError(f"công thức có quá {MAX_TOKENS} thành phần", tokens[MAX_TOKENS].pos)
    tokens.append(Token("end", "", n))
    return tokens


# -- syntax tree ----------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    value: Decimal
    text: str
    pos: int


@dataclass(frozen=True)
class Var:
    name: str
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    pos: int


FUNCTIONS = {"min": (1, None), "max": (1, None), "abs": (1, 1), "round": (1, 2), "floor": (1, 2),
             "clamp": (3, 3), "ratio": (2, 2), "if": (3, 3), "step": (3, None), "prev": (1, 1)}
PRECEDENCE = {"or": 1, "and": 2, "not": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
              "+": 5, "-": 5, "*": 6, "/": 6}


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            raise RuleError(f"cần {what} nhưng gặp {describe(self.tok)}", self.tok.pos)
        return self.take()

    def parse(self):
        if self.tok.kind == "end":
            raise RuleError("công thức trống", 0)
        node = self.expr()
        if self.tok.kind != "end":
            raise RuleError(f"thừa {describe(self.tok)}", self.tok.pos)
        return node

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError("công thức lồng nhau quá sâu", self.tok.pos)
        try:
            return self.binary(1)
        finally:
            self.depth -= 1

    def binary(self, level: int):
        if level == 3:
            return self.negation()
        if level == 4:
            left = self.binary(5)
            if self.tok.kind == "op" and PRECEDENCE.get(self.tok.text) == 4:
                op = self.take()
                left = Binary(op.text, left, self.binary(5), op.pos)
                if self.tok.kind == "op" and PRECEDENCE.get(self.tok.text) == 4:
                    raise RuleError("không so sánh nối tiếp được (hãy dùng 'and')", self.tok.pos)
            return left
        if level == 7:
            return self.unary()
        left = self.binary(level + 1)
        while self.tok.kind == "op" and PRECEDENCE.get(self.tok.text) == level and self.tok.text != "not":
            op = self.take()
            left = Binary(op.text, left, self.binary(level + 1), op.pos)
        return left

    def negation(self):
        if self.tok.kind == "op" and self.tok.text == "not":
            op = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RuleError("công thức lồng nhau quá sâu", op.pos)
            try:
                return Unary("not", self.negation(), op.pos)
            finally:
                self.depth -= 1
        return self.binary(4)

    def unary(self):
        if self.tok.kind == "op" and self.tok.text in {"-", "+"}:
            op = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RuleError("công thức lồng nhau quá sâu", op.pos)
            try:
                operand = self.unary()
            finally:
                self.depth -= 1
            return operand if op.text == "+" else Unary("-", operand, op.pos)
        return self.primary()

    def primary(self):
        tok = self.tok
        if tok.kind == "num":
            self.take()
            value = Decimal(tok.text)
            text = tok.text
            if self.tok.kind == "op" and self.tok.text == "%":
                self.take()
                value, text = value / 100, tok.text + "%"
            return Num(value, text, tok.pos)
        if tok.kind == "name":
            self.take()
            if self.tok.kind == "(":
                return self.call(tok)
            if tok.text in FUNCTIONS:
                raise RuleError(f"hàm '{tok.text}' cần có dấu ngoặc và đối số", tok.pos)
            return Var(tok.text, tok.pos)
        if tok.kind == "(":
            self.take()
            node = self.expr()
            self.expect(")", "dấu ')'")
            return node
        raise RuleError(f"cần một số, tên số liệu hoặc '(' nhưng gặp {describe(tok)}", tok.pos)

    def call(self, name: Token):
        if name.text not in FUNCTIONS:
            raise RuleError(f"không có hàm '{name.text}' (dùng được: {', '.join(sorted(FUNCTIONS))})", name.pos)
        self.take()  # "("
        args = []
        if self.tok.kind != ")":
            args.append(self.expr())
            while self.tok.kind == ",":
                self.take()
                args.append(self.expr())
        self.expect(")", "dấu ')' hoặc ','")
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            want = str(low) if low == high else f"từ {low}" + (f" đến {high}" if high else " trở lên")
            raise RuleError(f"hàm '{name.text}' cần {want} đối số, có {len(args)}", name.pos)
        if name.text == "step" and len(args) % 2 == 0:
            raise RuleError("hàm 'step' cần giá trị rồi từng cặp ngưỡng, điểm", name.pos)
        if name.text == "prev" and not isinstance(args[0], Var):
            raise RuleError("hàm 'prev' cần tên một số liệu", name.pos)
        return Call(name.text, tuple(args), name.pos)


def describe(tok: Token) -> str:
    return "hết công thức" if tok.kind == "end" else f"'{tok.text}'"


@dataclass(frozen=True)
class Rule:
    source: str
    node: object
    inputs: frozenset = field(default_factory=frozenset)  # names read this year
    previous: frozenset = field(default_factory=frozenset)  # names read through prev()


def parse(text: str) -> Rule:
    try:
        return _parse(text)
    except RuleError:
        raise
    except (RecursionError, decimal.DecimalException, ValueError, ArithmeticError) as exc:
        raise RuleError(f"không đọc được công thức ({type(exc).__name__})") from None


def _parse(text: str) -> Rule:
    node = Parser(text).parse()
    current, previous = set(), set()

    def walk(n) -> None:
        if isinstance(n, Var):
            if n.name != "max_points":
                current.add(n.name)
        elif isinstance(n, Call) and n.name == "prev":
            previous.add(n.args[0].name)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)

    walk(node)
    return Rule(text, node, frozenset(current), frozenset(previous))


# -- evaluation -----------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    value: Decimal  # exact
    points: Decimal  # rounded to 4 decimals (half up), as scores are stored
    arithmetic: str  # the rule with the numbers put in, "= result"


def fmt_number(value: Decimal) -> str:
    """Vietnamese: decimal comma, no trailing zeros, thousands with '.' from five digits on
    (101835 → "101.835", 1500 → "1500")."""
    return format_decimal(value, grouping=abs(value) >= 10000)


class Evaluator:
    def __init__(self, inputs: Mapping[str, Decimal], previous: Mapping[str, Decimal] | None,
                 max_points: Decimal | None):
        self.inputs, self.previous, self.max_points = inputs, previous or {}, max_points

    def number(self, node, value) -> Decimal:
        if isinstance(value, bool):
            raise RuleError("cần một số nhưng đây là một điều kiện (đúng/sai)", node.pos)
        return value

    def truth(self, node, value) -> bool:
        if not isinstance(value, bool):
            raise RuleError("cần một điều kiện (so sánh) nhưng đây là một số", node.pos)
        return value

    def var(self, node: Var) -> Decimal:
        if node.name == "max_points":
            if self.max_points is None:
                raise RuleError("chưa biết điểm tối đa (max_points)", node.pos)
            return self.max_points
        if node.name not in self.inputs or self.inputs[node.name] is None:
            raise RuleError(f"thiếu số liệu '{node.name}'", node.pos)
        return Decimal(self.inputs[node.name])

    def eval(self, node):
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Var):
            return self.var(node)
        if isinstance(node, Unary):
            value = self.eval(node.operand)
            return (not self.truth(node, value)) if node.op == "not" else -self.number(node, value)
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def binary(self, node: Binary):
        if node.op in {"and", "or"}:
            left = self.truth(node.left, self.eval(node.left))
            if (node.op == "and" and not left) or (node.op == "or" and left):
                return left
            return self.truth(node.right, self.eval(node.right))
        left = self.number(node.left, self.eval(node.left))
        right = self.number(node.right, self.eval(node.right))
        if node.op == "/":
            if right == 0:
                raise RuleError("chia cho 0", node.pos)
            return left / right
        return {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                "<": lambda: left < right, "<=": lambda: left <= right, ">": lambda: left > right,
                ">=": lambda: left >= right, "==": lambda: left == right, "!=": lambda: left != right}[node.op]()

    def call(self, node: Call):
        name, args = node.name, node.args
        if name == "if":
            return self.eval(args[1] if self.truth(args[0], self.eval(args[0])) else args[2])
        if name == "prev":
            key = args[0].name
            if key not in self.previous or self.previous[key] is None:
                raise RuleError(f"thiếu số liệu năm trước của '{key}'", node.pos)
            return Decimal(self.previous[key])
        values = [self.number(a, self.eval(a)) for a in args]
        if name == "min":
            return min(values)
        if name == "max":
            return max(values)
        if name == "abs":
            return abs(values[0])
        if name in {"round", "floor"}:
            places = values[1] if len(values) > 1 else Decimal(0)
            if places != places.to_integral_value() or not 0 <= places <= 10:
                raise RuleError(f"số chữ số của '{name}' phải là số nguyên từ 0 đến 10", node.pos)
            quantum = Decimal(1).scaleb(-int(places))
            return values[0].quantize(quantum, rounding=ROUND_HALF_UP if name == "round" else ROUND_FLOOR)
        if name == "clamp":
            return min(max(values[0], values[1]), values[2])
        if name == "ratio":
            if values[1] == 0:
                raise RuleError("tỷ lệ có mẫu số bằng 0", node.pos)
            return values[0] / values[1]
        # step(x, t1, p1, t2, p2, ...): the points of the highest threshold reached
        x, pairs = values[0], list(zip(values[1::2], values[2::2]))
        reached = [p for t, p in sorted(pairs, key=lambda tp: tp[0]) if x >= t]
        return reached[-1] if reached else Decimal(0)


SYMBOLS = {"*": "×", "/": "/", "+": "+", "-": "−", "and": "và", "or": "hoặc",
           "<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


def render(node, ev: Evaluator, parent: int = 0) -> str:
    """The rule with every input replaced by its value (for showing the arithmetic)."""
    if isinstance(node, Num):
        return node.text.replace(".", ",") if node.text.endswith("%") else fmt_number(node.value)
    if isinstance(node, Var):
        try:
            return fmt_number(ev.var(node))
        except RuleError:
            return node.name
    if isinstance(node, Unary):
        inner = render(node.operand, ev, 7)
        return f"không ({inner})" if node.op == "not" else f"−{inner}"
    if isinstance(node, Binary):
        level = PRECEDENCE[node.op]
        text = f"{render(node.left, ev, level)} {SYMBOLS[node.op]} {render(node.right, ev, level + 1)}"
        return f"({text})" if level < parent else text
    if node.name == "ratio":
        text = f"{render(node.args[0], ev, 6)} / {render(node.args[1], ev, 7)}"
        return f"({text})" if parent > 6 else text
    if node.name == "prev":
        try:
            return f"{fmt_number(ev.call(node))} (năm trước)"
        except RuleError:
            return f"prev({node.args[0].name})"
    if node.name == "if":
        try:
            cond = ev.truth(node.args[0], ev.eval(node.args[0]))
            verdict = "đúng" if cond else "sai"
        except RuleError:
            verdict = "?"
        return f"nếu {render(node.args[0], ev)} ({verdict}) thì {render(node.args[1], ev)} không thì {render(node.args[2], ev)}"
    return f"{node.name}({'; '.join(render(a, ev) for a in node.args)})"


def evaluate(rule: Rule | str, inputs: Mapping[str, Decimal], *, previous: Mapping[str, Decimal] | None = None,
             max_points: Decimal | None = None) -> Result:
    """The rule's value for a year's inputs (and last year's, for prev())."""
    if isinstance(rule, str):
        rule = parse(rule)
    ev = Evaluator(inputs, previous, None if max_points is None else Decimal(max_points))
    with decimal.localcontext(CONTEXT):
        try:
            value = ev.number(rule.node, ev.eval(rule.node))
            points = value.quantize(POINTS_Q, rounding=ROUND_HALF_UP)
            text = render(rule.node, ev)
        except RuleError:
            raise
        except (decimal.DecimalException, RecursionError, ArithmeticError, ValueError) as exc:
            raise RuleError(f"không tính được ({type(exc).__name__})") from None
    return Result(value, points, f"{text} = {fmt_number(points)}")


def check(text: str) -> list[str]:
    """Problems of a rule's text, for forms: [] when it reads."""
    try:
        parse(text)
    except RuleError as exc:
        return [str(exc)]
    return []



def input_labels(description: str) -> tuple[dict[str, str], str]:
    """A rules file's "name: meaning; name: meaning. How it scores." → ({name: meaning}, "How it scores.").

    Users see the meaning, never the rule's internal names (inspected, on_time) nor its formula."""
    import re

    labels, notes = {}, []
    for part in re.split(r";\s*", description or ""):
        m = re.match(r"\s*([a-z_][a-z0-9_]*)\s*:\s*(.+)", part, re.S)
        if not m:
            notes.append(part.strip())
            continue
        label, _, rest = m[2].partition(". ")
        labels[m[1]] = label.strip().rstrip(".")
        if rest.strip():
            notes.append(rest.strip())
    return labels, " ".join(n for n in notes if n)


def label_problems(text: str, description: str) -> list[str]:
    """What keeps a rule and its inputs' description from being used (Vietnamese): the rule does not
    read, or one of its inputs has no meaning given, or a meaning names no input of the rule."""
    try:
        rule = parse(text)
    except RuleError as exc:
        return [str(exc)]
    labels, _ = input_labels(description)
    names = rule.inputs | rule.previous
    problems = [f"số liệu “{n}” của công thức chưa có diễn giải (ghi “{n}: ý nghĩa”)" for n in sorted(names - set(labels))]
    problems += [f"“{n}” không có trong công thức" for n in sorted(set(labels) - names)]
    return problems
