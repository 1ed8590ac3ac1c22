"""The header vocabulary: columns are found by their words, whatever their case, accents or position."""
import pytest

from chiso.reader.headers import classify, classify_path, year_of
from chiso.reader.layout import is_numbering_row


@pytest.mark.parametrize("label, kind, key", [
    ("STT", "code", "code"), ("S T T", "code", "code"), ("TT", "code", "code"),
    ("LĨNH VỰC, TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN", "name", "name"), ("Tiêu chí", "name", "name"),
    ("Điểm chuẩn", "value", "max_points"), ("Điểm tối đa", "value", "max_points"),
    ("Điểm theo bộ tiêu chí", "value", "max_points"), ("Thang điểm", "value", "max_points"),
    ("Điểm tối đa theo quy định", "value", "max_points"),
    ("Điểm đạt được năm 2023", "value", "achieved"), ("Kết quả năm 2022", "value", "achieved"),
    ("Điểm năm 2021", "value", "achieved"),
    ("Điểm thẩm định", "value", "appraised"), ("Điểm sau thẩm định", "value", "appraised"),
    ("Điểm bị trừ", "value", "deducted"), ("Số điểm bị trừ", "value", "deducted"), ("Điểm bị mất", "value", "deducted"),
    ("Mục tiêu năm 2024", "value", "target"), ("Chỉ tiêu phấn đấu", "value", "target"), ("Điểm phấn đấu", "value", "target"),
    ("NỘI DUNG THỰC HIỆN", "text", "tasks"), ("Nhiệm vụ, giải pháp", "text", "tasks"), ("Biện pháp khắc phục", "text", "tasks"),
    ("Chỉ tiêu đạt được", "text", "tasks"), ("Lý do bị trừ điểm", "text", "reason"), ("Nguyên nhân", "text", "reason"),
    ("Thời gian thực hiện", "text", "deadline"), ("Thời hạn", "text", "deadline"), ("Tiến độ", "text", "deadline"),
    ("Sản phẩm", "text", "deliverable"), ("Kết quả/sản phẩm đầu ra", "text", "deliverable"), ("Ghi chú", "text", "note"),
    ("Cơ quan chủ trì", "role", "lead"), ("Chủ trì", "role", "lead"), ("Phối hợp", "role", "coordinating"),
    ("Cơ quan theo dõi", "role", "monitoring"), ("CƠ QUAN THỰC HIỆN", "role", "implementing"),
    ("Trách nhiệm thực hiện", "role", "responsible"),
    ("Cơ quan, đơn vị chỉ đạo, theo dõi và thực hiện", "role", "responsible"),
])
def test_vocabulary(label, kind, key):
    lab = classify(label)
    assert (lab.kind, lab.key) == (kind, key)


def test_accents_and_case_do_not_matter():
    assert classify("diem toi da").key == classify("ĐIỂM TỐI ĐA").key == "max_points"


def test_years_and_spans():
    assert year_of("Mục tiêu năm 2019-2020") == "2019-2020"
    assert year_of("Mục tiêu năm 2019 - 2020") == "2019-2020"
    assert year_of("Điểm đạt được năm 2023") == "2023"
    assert year_of("Điểm tối đa") is None


def test_year_from_parent_header():
    col = classify_path(3, ["Điểm đạt được", "Năm 2022"])
    assert (col.kind, col.key, col.year) == ("value", "achieved", "2022")
    col = classify_path(4, ["Năm 2023", "Điểm thẩm định"])
    assert (col.kind, col.key, col.year) == ("value", "appraised", "2023")


def test_group_header_gives_no_implementing():
    assert classify_path(4, ["Cơ quan thực hiện", "Cơ quan chủ trì"]).key == "lead"
    assert classify_path(5, ["Cơ quan thực hiện", "Cơ quan phối hợp"]).key == "coordinating"
    assert classify_path(6, ["Trách nhiệm thực hiện", "Chủ trì"]).key == "lead"


def test_numbering_rows():
    assert is_numbering_row(["(1)", "(2)", "(3)", "(4)", "(5)=(4)-(3)"])
    assert is_numbering_row(["1", "2", "3", "4"])
    assert not is_numbering_row(["1", "Công tác chỉ đạo", "9.5"])
