"""Table interpretation on small texts: continuation lines, repeated headers, headings, totals, deductions."""
from chiso.reader import read_bytes

T = "\t"
HEADER = T.join(["STT", "Tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ", "Lý do bị trừ điểm", "Cơ quan chủ trì"])


def read(lines: list[str]) -> dict:
    return read_bytes(("\n".join(lines) + "\n").encode("utf-8"), "t.txt")


def rows(result: dict, n: int = 0) -> dict:
    return {r["code"]: r for r in result["tables"][n]["rows"]}


def test_continuation_line_joins_cell_by_cell_with_one_space():
    out = read([HEADER,
                T.join(["1.1", "Thực hiện kế hoạch", "1,5", "1", "0,5", "Chưa hoàn thành", "Sở Nội"]),
                "", HEADER,
                T.join(["", "CCHC", "", "", "", "đúng hạn", "vụ"])])
    r = rows(out)["1.1"]
    assert r["name"] == "Thực hiện kế hoạch CCHC"
    assert r["text"] == {"reason": "Chưa hoàn thành đúng hạn", "lead": "Sở Nội vụ"}


def test_deducted_is_appraised_minus_max_whatever_the_printed_sign():
    out = read([HEADER, T.join(["1.1", "A", "1,5", "1", "0,5", "", ""]), T.join(["1.2", "B", "2", "", "0,25", "", ""])])
    vals = {c: {v["key"]: v["value"] for v in r["values"]} for c, r in rows(out).items()}
    assert vals["1.1"]["deducted"] == -0.5
    assert vals["1.2"]["deducted"] == -0.25  # no appraisal printed: as printed, made negative


def test_index_headings_split_tables_and_are_not_rows():
    out = read([HEADER, T.join(["I", "CHỈ SỐ PAR INDEX", "", "", "", "", ""]), T.join(["1", "A", "10", "9", "-1", "", ""]),
                T.join(["II", "CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN (SIPAS)", "", "", "", "", ""]), T.join(["1", "B", "100", "", "", "", ""])])
    assert [t["index"] for t in out["tables"]] == ["PAR_INDEX", "SIPAS"]
    assert [r["code"] for t in out["tables"] for r in t["rows"]] == ["1", "1"]


def test_total_row_goes_to_total():
    out = read([HEADER, T.join(["1", "A", "10", "9", "-1", "", ""]), T.join(["", "TỔNG ĐIỂM", "10", "9", "-1", "", ""])])
    t = out["tables"][0]
    assert [r["code"] for r in t["rows"]] == ["1"]
    assert {v["key"]: v["value"] for v in t["total"]} == {"max_points": 10, "appraised": 9, "deducted": -1}


def test_markup_and_whitespace_are_removed():
    out = read([HEADER, T.join(["1", "<p>Công   tác</p> **chỉ đạo**", "1", "", "", '<ul style="x"> - Lý do', ""])])
    r = rows(out)["1"]
    assert r["name"] == "Công tác chỉ đạo"
    assert r["text"]["reason"] == "- Lý do"


def test_arithmetic_warning_names_rows_and_amounts():
    out = read([HEADER, T.join(["3", "C", "13", "12,905", "", "", ""]), T.join(["3.1", "a", "9", "8,9045", "", "", ""]),
                T.join(["3.2", "b", "4", "4", "", "", ""])])
    assert any("mục 3" in w and "12.905" in w and "12.9045" in w and "3.1 + 3.2" in w for w in out["warnings"])
    assert rows(out)["3"]["values"][1]["value"] == 12.905  # the number stays as printed


def test_prose_numbered_like_the_table_is_not_rows():
    out = read(["III. NỘI DUNG THỰC HIỆN", "1. Công tác chỉ đạo, điều hành", "a) Ban hành kế hoạch", "",
                HEADER, T.join(["1", "Công tác chỉ đạo", "9,5", "9", "", "", ""])])
    assert [r["code"] for r in out["tables"][0]["rows"]] == ["1"]


def test_unknown_column_is_reported():
    out = read([T.join(["STT", "Tiêu chí", "Điểm tối đa", "Xếp hạng tỉnh"]), T.join(["1", "A", "10", "5/63"])])
    assert any("Xếp hạng tỉnh" in w for w in out["warnings"])


def test_two_line_header_with_year_group_and_skipped_columns():
    out = read([
        "KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC",
        T.join(["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Năm 2023", "", "Chênh lệch", "Điểm bị trừ", "Nguyên nhân"]),
        T.join(["", "", "", "Điểm tự đánh giá", "Điểm thẩm định", "", "", ""]),
        T.join(["1", "Công tác chỉ đạo", "9,5", "9,5", "9,0", "0,5", "0,5", "Chậm báo cáo"]),
    ])
    t = out["tables"][0]
    assert [(c["key"], c.get("year")) for c in t["columns"]] == [
        ("max_points", None), ("achieved", "2023"), ("appraised", "2023"), ("deducted", "2023")]
    r = t["rows"][0]
    assert {v["key"]: v["value"] for v in r["values"]} == {"max_points": 9.5, "achieved": 9.5, "appraised": 9, "deducted": -0.5}
    assert r["text"] == {"reason": "Chậm báo cáo"}
    assert any("Chênh lệch" in w for w in out["warnings"])


def test_table_without_number_column_takes_codes_from_names():
    out = read([T.join(["Tiêu chí", "Điểm tối đa", "Mục tiêu năm 2025"]),
                T.join(["1. Công tác chỉ đạo", "9,5", "9"]), T.join(["1.1. Kế hoạch CCHC", "1,5", "1,5"]),
                T.join(["năm 2025", "", ""])])
    rows_ = out["tables"][0]["rows"]
    assert [(r["code"], r["name"]) for r in rows_] == [("1", "Công tác chỉ đạo"), ("1.1", "Kế hoạch CCHC năm 2025")]


def test_signature_block_in_the_grid_is_not_joined_to_the_last_row():
    out = read([HEADER, T.join(["1", "Công tác chỉ đạo", "9,5", "9", "", "", "Sở Nội vụ"]),
                T.join(["Nơi nhận:", "KT. CHỦ TỊCH", "", "", "", "", ""]),
                T.join(["- Như trên;", "PHÓ CHỦ TỊCH", "", "", "", "", ""])])
    r = rows(out)["1"]
    assert r["name"] == "Công tác chỉ đạo" and r["text"] == {"lead": "Sở Nội vụ"}
    assert len(out["tables"][0]["rows"]) == 1


def test_bare_year_columns_are_past_scores_or_the_plans_target():
    out = read(["PHỤ LỤC", "KẾ HOẠCH NÂNG CAO CHỈ SỐ PAR INDEX NĂM 2024",
                T.join(["STT", "Tiêu chí", "Điểm tối đa", "Năm 2023", "Năm 2024"]), T.join(["1", "Công tác chỉ đạo", "9,5", "9", "9,25"])])
    assert [(c["key"], c.get("year")) for c in out["tables"][0]["columns"]] == [
        ("max_points", None), ("achieved", "2023"), ("target", "2024")]


def test_a_summary_of_the_indexes_is_not_an_index_table():
    out = read(["Kết quả các năm:", T.join(["STT", "Chỉ số", "Điểm năm 2023", "Xếp hạng"]), T.join(["1", "PAR INDEX", "85,4", "20/63"]),
                T.join(["2", "SIPAS", "80,1", "30/63"]), "", "PHỤ LỤC", "NHIỆM VỤ CẢI THIỆN CHỈ SỐ PAR INDEX",
                T.join(["STT", "Tiêu chí", "Điểm tối đa", "Nhiệm vụ"]), T.join(["1", "Công tác chỉ đạo", "9,5", "Ban hành kế hoạch"])])
    assert [[r["name"] for r in t["rows"]] for t in out["tables"]] == [["Công tác chỉ đạo"]]
