"""Resolving agency names to units (pure Python)."""
import datetime as dt

import pytest

from chiso.core import roster
from chiso.core.matching import ACCEPT, NameMatcher, normalize, without_level

from .matching_samples import sample_names, synthetic_entries


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


def test_1000_names_against_5000_entries():
    """Unknown names never resolve, a wrong unit is rare, and a name that belongs to one unit
    (exact or with a letter dropped) mostly finds it; names shared by many units stay
    unresolved on purpose. Speed: bench/matching.py."""
    entries = synthetic_entries()
    matcher = NameMatcher(entries)
    names, expected = sample_names(entries, 1000)
    results = [(matcher.match(n), e) for n, e in zip(names, expected)]
    assert all(r.key is None for r, e in results if e is None)
    known = [(r, e) for r, e in results if e is not None]
    wrong = sum(r.key is not None and r.key not in e for r, e in known)
    assert wrong <= 0.01 * len(known), f"{wrong} of {len(known)} names resolved to another unit"
    unique = [(r, e) for r, e in known if len(e) == 1]
    right = sum(r.key in e for r, e in unique)
    assert right >= 0.85 * len(unique), f"{right} of {len(unique)} names of one unit resolved to it"
