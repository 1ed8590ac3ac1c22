"""The one-cell-per-line layout: column inference from the header list, numbers and role cues."""
from chiso.reader import read_bytes
from chiso.reader.textcols import assign


def read(lines: list[str]) -> dict:
    return read_bytes("\n\n".join(lines).encode("utf-8"), "web.txt")


def test_text_lines_split_by_role_cues():
    kinds = ["tasks", "lead", "coordinating", "note"]
    lines = ["- Rà soát thủ tục hành chính;", "- Công khai kết quả giải quyết.", "Giám đốc Sở Nội vụ",
             "Các sở, ban, ngành; UBND cấp huyện", "Điều tra XHH"]
    assert assign(kinds, lines) == [lines[:2], [lines[2]], [lines[3]], [lines[4]]]


def test_lead_without_tasks_and_agency_lead():
    kinds = ["tasks", "lead", "coordinating"]
    assert assign(kinds, ["Chánh Văn phòng UBND tỉnh", "Các sở, ban, ngành"]) == [[], ["Chánh Văn phòng UBND tỉnh"], ["Các sở, ban, ngành"]]
    lines = ["- Đồng bộ hồ sơ lên Cổng DVC quốc gia;", "Sở Thông tin và Truyền thông", "- Các sở, ban, ngành;", "- UBND cấp huyện."]
    assert assign(kinds, lines) == [[lines[0]], [lines[1]], lines[2:]]


def test_deadline_column():
    kinds = ["lead", "coordinating", "deadline", "note"]
    lines = ["- Thủ trưởng các sở, ban, ngành;", "- Giám đốc Công ty Điện lực.", "Sở Nội vụ; các cơ quan có liên quan", "Thường xuyên"]
    assert assign(kinds, lines) == [lines[:2], [lines[2]], [lines[3]], []]


def test_bare_numbering_row_and_group_header():
    out = read(["PHỤ LỤC", "MỤC TIÊU CHỈ SỐ PAR INDEX NĂM 2024", "STT", "Tiêu chí", "Điểm tối đa", "Mục tiêu năm 2024",
                "Giải pháp", "Trách nhiệm thực hiện", "Chủ trì", "Phối hợp", "1", "2", "3", "4", "5", "6", "7",
                "1", "CÔNG TÁC CHỈ ĐẠO", "9,5", "9",
                "1.1", "Kế hoạch", "1,5", "1,5", "Ban hành kế hoạch", "Giám đốc Sở Nội vụ", "Các sở, ngành"])
    t = out["tables"][0]
    assert [(c["key"], c.get("year")) for c in t["columns"]] == [("max_points", None), ("target", "2024")]
    assert [r["code"] for r in t["rows"]] == ["1", "1.1"]
    assert t["rows"][1]["text"] == {"tasks": "Ban hành kế hoạch", "lead": "Giám đốc Sở Nội vụ", "coordinating": "Các sở, ngành"}


def test_a_number_line_opening_the_next_row_is_not_a_value():
    out = read(["STT", "Tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ",
                "2.3", "Chất lượng văn bản", "3", "3",
                "3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "12", "11,5", "0,5"])
    rows = {r["code"]: r for r in out["tables"][0]["rows"]}
    assert [v["key"] for v in rows["2.3"]["values"]] == ["max_points", "appraised"]
    assert rows["3"]["name"] == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    assert rows["3"]["values"][2]["value"] == -0.5
