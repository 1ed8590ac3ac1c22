"""Resolving agency names to units (pure Python)."""
import datetime as dt
import random
import time

import pytest

from chiso.core import roster
from chiso.core.matching import ACCEPT, NameMatcher, normalize, without_level


@pytest.fixture(scope="module")
def daknong():
    return NameMatcher(roster.matcher_entries(roster.agencies_for("Đắk Nông", dt.date(2024, 7, 18))))


@pytest.mark.parametrize("a,b", [
    ("Ủy ban nhân dân tỉnh", "UBND tỉnh"), ("Uỷ ban nhân dân tỉnh", "UBND TỈNH"),
    ("Hội đồng nhân dân huyện", "HĐND huyện"), ("Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"), ("Sở Thông tin và Truyền thông", "Sở TTTT"),
    ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"), ("Sở Kế hoạch và Đầu tư", "Sở KHĐT"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐTB&XH"), ("Sở Lao động – Thương binh và Xã hội", "Sở LĐTBXH"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"), ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT"), ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VH,TT&DL"), ("Sở Văn hoá, Thể thao và Du lịch", "Sở VHTTDL"),
    ("Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh", "VP Đoàn ĐBQH và HĐND tỉnh"),
    ("Trung tâm Văn hóa – Thông tin - Thể thao", "Trung tâm Văn hóa - Thông tin – Thể thao"),
    ("Thành phố Hồ Chí Minh", "TP.HCM"), ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính – Kế hoạch"),
])
def test_abbreviations_are_unified_both_ways(a, b):
    assert normalize(a) == normalize(b)


def test_level_suffix():
    assert without_level(normalize("Sở Nội vụ tỉnh Đắk Lắk")) == "so noi vu"
    assert without_level(normalize("Văn phòng UBND tỉnh")) == normalize("Văn phòng UBND")
    assert without_level(normalize("Tỉnh Đắk Lắk")) == "dak lak"


def test_exact_alias_and_suffix(daknong):
    r = daknong.match("Sở Nội vụ")
    assert (r.key, r.method, r.score) == ("Sở Nội vụ", "exact", 100)
    assert r.suggestions[0][:2] == ("Sở Nội vụ", "Sở Nội vụ")
    for alias in ["SNV", "Sở NV", "sở nội vụ", "SO NOI VU"]:
        r = daknong.match(alias)
        assert r.key == "Sở Nội vụ" and r.method in {"exact", "alias"} and r.score == 100
    assert daknong.match("Sở KH&ĐT").key == "Sở Kế hoạch và Đầu tư"
    assert daknong.match("VP UBND tỉnh").key == "Văn phòng UBND tỉnh"
    r = daknong.match("Văn phòng UBND")
    assert (r.key, r.method) == ("Văn phòng UBND tỉnh", "alias")
    r = daknong.match("Sở Nội vụ tỉnh Đắk Nông")
    assert (r.key, r.method) == ("Sở Nội vụ", "fuzzy") and r.score >= ACCEPT
    assert daknong.match("Điện lực Đắk Nông").key == "Công ty Điện lực Đắk Nông"


def test_fuzzy_accepts_typos_only(daknong):
    r = daknong.match("Sở Thông tin và Truyển thông")  # a wrong tone mark survives folding only as a letter
    assert r.key == "Sở Thông tin và Truyền thông"
    assert daknong.match("Sở Văn hóa Thể thao Du lịch").key == "Sở Văn hóa, Thể thao và Du lịch"
    r = daknong.match("Sở Văn hóa, Thể thao và Du lịc")
    assert r.key == "Sở Văn hóa, Thể thao và Du lịch" and r.method == "fuzzy" and r.score >= ACCEPT
    r = daknong.match("So Tu phap tinh")
    assert r.key == "Sở Tư pháp"


def test_office_names_are_not_confused(daknong):
    """Neither "Văn phòng UBND" nor a district's "Văn phòng HĐND và UBND huyện" is the Sở Nội vụ."""
    for name in ["Văn phòng UBND", "Văn phòng HĐND và UBND huyện", "Phòng Nội vụ"]:
        r = daknong.match(name)
        assert r.key != "Sở Nội vụ"
        assert all(key != "Sở Nội vụ" or score < ACCEPT for key, _, score in r.suggestions)
    assert daknong.match("Văn phòng HĐND và UBND huyện").key is None
    assert daknong.match("Phòng Nội vụ").key is None


def test_unknown_names_give_no_key_but_suggestions(daknong):
    r = daknong.match("Công ty Cổ phần cấp nước và Phát triển đô thị Đắk Nông")
    assert (r.key, r.method) == (None, "none")
    r = daknong.match("Sở Nội vụụ Đắk")
    assert r.suggestions and r.suggestions[0][0] == "Sở Nội vụ"
    assert daknong.match("").method == "none"


def test_suggestion_band():
    m = NameMatcher([("a", ["Trung tâm Phục vụ hành chính công"]), ("b", ["Sở Nội vụ"])])
    r = m.match("Trung tâm Phục vụ hành chánh công tỉnh")
    assert r.key == "a"
    r = m.match("Trung tâm hành chính")
    assert r.key is None and r.suggestions and r.suggestions[0][0] == "a" and 75 <= r.suggestions[0][2] < 90


def test_same_name_twice_is_never_taken():
    m = NameMatcher([(1, ["Sở Nội vụ"]), (2, ["Sở Nội vụ"]), (3, ["Sở Tư pháp"])])
    r = m.match("Sở Nội vụ")
    assert r.key is None and {s[0] for s in r.suggestions} == {1, 2}
    assert m.match("Sở Tư pháp").key == 3


def _entries(n=5000):
    """n distinct units: every province's bodies, then districts' offices (synthetic district names)."""
    entries = []
    for p in roster.load_provinces():
        for t in roster.agencies_for(p.name):
            entries.append((f"{p.name}/{t.name}", [f"{t.name} {p.name}", *t.aliases]))
    i = 0
    while len(entries) < n:
        for t in roster.load_district_offices():
            entries.append((f"d{i}/{t.name}", [f"{t.name} Huyện Số {i}"]))
        i += 1
    return entries[:n]


def test_speed_1000_names_against_5000_entries(capsys):
    entries = _entries()
    started = time.perf_counter()
    matcher = NameMatcher(entries)
    built = time.perf_counter() - started
    rng = random.Random(7)
    names = []
    for _ in range(1000):
        _key, ns = rng.choice(entries)
        name = rng.choice(list(ns))
        kind = rng.random()
        if kind < 0.3 and len(name) > 8:  # a typo
            i = rng.randrange(len(name))
            name = name[:i] + name[i + 1:]
        elif kind < 0.4:
            name = "Đơn vị không có trong danh mục " + str(rng.randrange(10_000))
        names.append(name)
    started = time.perf_counter()
    results = [matcher.match(n) for n in names]
    took = time.perf_counter() - started
    resolved = sum(r.key is not None for r in results)
    with capsys.disabled():
        print(f"\n[matching] build {len(entries)} entries: {built:.2f}s; 1000 names: {took:.2f}s, {resolved} resolved")
    assert took < 1.0
