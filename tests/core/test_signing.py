"""The issuer block, place, office symbol, signer and recipients of an official document (NĐ 30)."""
import datetime as dt

from chiso.core import signing
from chiso.core.signing import Office

DAK_LAK = Office("province", "Đắk Lắk")
SNV = Office("department", "Sở Nội vụ", "SNV", DAK_LAK)
GDDT = Office("department", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", DAK_LAK)
TUY_PHUOC = Office("district", "Tuy Phước", parent=Office("province", "Bình Định"))
PNV = Office("district_office", "Phòng Nội vụ", parent=TUY_PHUOC)


def test_heading_names_the_body_above_and_the_issuer():
    assert signing.heading(DAK_LAK) == ("ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK")
    assert signing.heading(SNV) == ("UBND TỈNH ĐẮK LẮK", "SỞ NỘI VỤ")
    assert signing.heading(TUY_PHUOC) == ("ỦY BAN NHÂN DÂN", "HUYỆN TUY PHƯỚC")
    assert signing.heading(PNV) == ("UBND HUYỆN TUY PHƯỚC", "PHÒNG NỘI VỤ")
    assert signing.heading(Office("province", "Tỉnh A")) == ("ỦY BAN NHÂN DÂN", "TỈNH A")


def test_place_is_the_district_for_a_district_and_its_offices():
    assert signing.place(SNV) == "Đắk Lắk"
    assert signing.place(TUY_PHUOC) == signing.place(PNV) == "Tuy Phước"
    assert signing.date_line(PNV, dt.date(2026, 2, 3)) == "Tuy Phước, ngày 03 tháng 02 năm 2026"
    assert signing.date_line(SNV, dt.date(2026, 11, 20)) == "Đắk Lắk, ngày 20 tháng 11 năm 2026"


def test_office_symbols():
    assert signing.number(SNV) == "Số:      /BC-SNV"
    assert signing.symbol(GDDT) == "SGDĐT"
    assert signing.symbol(Office("department", "Sở Lao động - Thương binh và Xã hội")) == "SLĐTBXH"
    assert signing.symbol(Office("department", "Văn phòng UBND tỉnh", "VP UBND tỉnh", DAK_LAK)) == "VPUBND"
    assert signing.symbol(PNV) == "PNV" and signing.symbol(TUY_PHUOC) == "UBND"


def test_signers_and_recipients():
    assert signing.signer_title(DAK_LAK) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signing.signer_title(SNV) == ["GIÁM ĐỐC"] and signing.signer_title(PNV) == ["TRƯỞNG PHÒNG"]
    assert signing.signer_title(Office("other", "Bưu điện tỉnh")) == ["THỦ TRƯỞNG ĐƠN VỊ"]
    # the compiling office does not address its report to itself
    assert signing.recipients(SNV, coordinator=SNV, issuer=DAK_LAK) == ["UBND tỉnh Đắk Lắk (để báo cáo);", "Lưu: VT, SNV."]
    assert signing.recipients(GDDT, coordinator=SNV, issuer=DAK_LAK)[0] == "Sở Nội vụ (để tổng hợp);"
    assert signing.recipients(DAK_LAK, coordinator=SNV, issuer=DAK_LAK) == ["Sở Nội vụ (để tổng hợp);", "Lưu: VT."]
