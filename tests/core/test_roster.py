"""Reference units: provinces before and after the 2025 merger, standard rosters (pure Python)."""
import datetime as dt

import pytest

from chiso.core import roster

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)

MERGERS = {
    "Tuyên Quang": ["Hà Giang"], "Lào Cai": ["Yên Bái"], "Thái Nguyên": ["Bắc Kạn"],
    "Phú Thọ": ["Vĩnh Phúc", "Hòa Bình"], "Bắc Ninh": ["Bắc Giang"], "Hưng Yên": ["Thái Bình"],
    "Hải Phòng": ["Hải Dương"], "Ninh Bình": ["Hà Nam", "Nam Định"], "Quảng Trị": ["Quảng Bình"],
    "Đà Nẵng": ["Quảng Nam"], "Quảng Ngãi": ["Kon Tum"], "Gia Lai": ["Bình Định"], "Khánh Hòa": ["Ninh Thuận"],
    "Lâm Đồng": ["Đắk Nông", "Bình Thuận"], "Đắk Lắk": ["Phú Yên"],
    "Thành phố Hồ Chí Minh": ["Bình Dương", "Bà Rịa - Vũng Tàu"], "Đồng Nai": ["Bình Phước"],
    "Tây Ninh": ["Long An"], "Cần Thơ": ["Sóc Trăng", "Hậu Giang"], "Vĩnh Long": ["Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Tiền Giang"], "Cà Mau": ["Bạc Liêu"], "An Giang": ["Kiên Giang"],
}
UNCHANGED = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
             "Hà Tĩnh", "Cao Bằng"]


def test_63_before_and_34_after_the_merger():
    records = roster.load_provinces()
    assert len(records) == 63 == len({r.name for r in records})
    assert len(roster.provinces_at(BEFORE)) == 63
    after = roster.provinces_at(AFTER)
    assert len(after) == 34
    assert {r.name for r in after} == set(MERGERS) | set(UNCHANGED)
    assert all(r.kind == "province" for r in records)


def test_every_successor_exists_and_continues():
    by_name = {r.name: r for r in roster.load_provinces()}
    merged_away = [r for r in by_name.values() if r.valid_to]
    assert len(merged_away) == 29
    for rec in merged_away:
        assert rec.valid_to == BEFORE
        assert rec.successor in by_name and by_name[rec.successor].valid_to is None
    for new, absorbed in MERGERS.items():
        for old in absorbed:
            assert by_name[old].successor == new


def test_aliases_and_lookup():
    assert roster.find_province("TP.HCM").name == "Thành phố Hồ Chí Minh"
    assert roster.find_province("UBND tỉnh Thừa Thiên Huế").name == "Huế"
    assert roster.find_province("tỉnh Đắk Nông").name == "Đắk Nông"
    assert roster.find_province("thanh pho ha noi").name == "Hà Nội"
    assert roster.find_province("Atlantis") is None
    assert roster.successor_at("Đắk Nông", AFTER).name == "Lâm Đồng"
    assert roster.successor_at("Đắk Nông", BEFORE).name == "Đắk Nông"
    assert roster.successor_at("Bình Định", AFTER).name == "Gia Lai"
    assert roster.find_province("Huế").city and not roster.find_province("Đắk Lắk").city


def test_agencies_follow_the_march_2025_department_mergers():
    def names(at):
        return {t.name for t in roster.agencies_for("Đắk Nông", at)}

    before, after = names(dt.date(2024, 7, 18)), names(dt.date(2025, 3, 1))
    assert {"Sở Kế hoạch và Đầu tư", "Sở Thông tin và Truyền thông", "Sở Giao thông vận tải", "Ban Dân tộc",
            "Sở Lao động - Thương binh và Xã hội", "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Phát triển nông thôn"} <= before - after
    assert {"Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo"} <= after - before
    assert {"Sở Nội vụ", "Sở Tài chính", "Văn phòng UBND tỉnh", "Công ty Điện lực Đắk Nông", "Báo Đắk Nông"} <= after
    successors = {t.name: t.successor for t in roster.agencies_for("Đắk Nông")}
    assert successors["Sở Kế hoạch và Đầu tư"] == "Sở Tài chính"
    assert successors["Sở Thông tin và Truyền thông"] == "Sở Khoa học và Công nghệ"
    assert successors["Sở Lao động - Thương binh và Xã hội"] == "Sở Nội vụ"
    assert successors["Sở Giao thông vận tải"] == "Sở Xây dựng"
    assert successors["Sở Tài nguyên và Môi trường"] == successors["Sở Nông nghiệp và Phát triển nông thôn"] \
        == "Sở Nông nghiệp và Môi trường"
    assert successors["Ban Dân tộc"] == "Sở Dân tộc và Tôn giáo"


@pytest.mark.parametrize("loader", [roster.load_province_agencies, roster.load_district_offices])
def test_rosters_are_consistent(loader):
    templates = loader()
    names = {t.name for t in templates}
    assert len(names) == len(templates)
    for t in templates:
        assert t.kind in {"department", "district_office", "other"}
        assert not t.successor or t.successor in names
        assert not (t.valid_from and t.valid_to) or t.valid_from <= t.valid_to
    by_name = {t.name: t for t in roster.load_province_agencies()}
    assert "SNV" in by_name["Sở Nội vụ"].aliases and "Sở NV" in by_name["Sở Nội vụ"].aliases
    assert "VP UBND tỉnh" in by_name["Văn phòng UBND tỉnh"].aliases


def test_placeholders_and_cities():
    daklak = {t.name: t for t in roster.agencies_for("Đắk Lắk")}
    assert "Công ty Điện lực Đắk Lắk" in daklak and "Báo Đắk Lắk" in daklak
    assert not any("{" in n for t in daklak.values() for n in t.names)
    hanoi = {t.name: t for t in roster.agencies_for("Hà Nội")}
    assert "Văn phòng UBND thành phố" in hanoi and "Văn phòng UBND tỉnh" in hanoi["Văn phòng UBND thành phố"].aliases
    assert "Công an thành phố" in hanoi


def test_district_offices_end_with_the_district_level():
    offices = roster.district_offices_for("Tuy Phước")
    assert all(t.valid_to and t.valid_to <= BEFORE for t in offices)
    assert roster.district_offices_for("Tuy Phước", AFTER) == []
    names = {t.name for t in roster.district_offices_for("Tuy Phước", dt.date(2023, 6, 1))}
    assert {"Phòng Nội vụ", "Phòng Tư pháp", "Văn phòng HĐND và UBND huyện", "Phòng Tài chính - Kế hoạch",
            "Phòng Kinh tế và Hạ tầng", "Phòng Văn hóa và Thông tin", "Thanh tra huyện",
            "Trung tâm Văn hóa – Thông tin – Thể thao"} <= names


def test_known_names():
    names = roster.known_names("Đắk Nông", at=dt.date(2024, 7, 18))
    assert "Sở Kế hoạch và Đầu tư" in names and "SNV" in names and "Công ty Điện lực Đắk Nông" in names
    generic = roster.known_names()
    assert "Văn phòng HĐND và UBND huyện" in generic and not any("{" in n for n in generic)
