"""Editing a questionnaire piece by piece, and its Excel layout read back (pure core)."""
import json
from pathlib import Path

import pytest

from chiso.core import questionnaire as qdef
from chiso.core import questionnaire_edit as qe
from chiso.core import questionnaire_sheets as qs

SIPAS = json.loads((Path(qdef.__file__).resolve().parents[1] / "data" / "surveys" / "sipas_qd1001.json")
                   .read_text(encoding="utf-8"))


def _rows(sheets):
    return [(name, i, row) for name, rows in sheets.items() for i, row in enumerate(rows, start=1)]


def test_a_question_from_the_editor_form():
    q = qe.question_from_fields({"code": "C30", "kind": "single", "text": "  Ông/bà   đến bằng gì? ",
                                 "choices": "Xe máy\noto | Ô tô\n\nĐi bộ", "required": "1", "element": "DV1",
                                 "show_if_question": "F1", "show_if_values": "dat-dai, tu-phap"})
    assert q == {"code": "C30", "kind": "single", "text": "Ông/bà đến bằng gì?", "element": "DV1", "required": True,
                 "choices": [["xe-may", "Xe máy"], ["oto", "Ô tô"], ["di-bo", "Đi bộ"]],
                 "show_if": {"question": "F1", "in": ["dat-dai", "tu-phap"]}}
    rating = qe.question_from_fields({"code": "C31", "kind": "rating", "text": "Mức độ?", "scale": "Kém\nTốt\nRất tốt"})
    assert rating["scale"] == ["Kém", "Tốt", "Rất tốt"] and "choices" not in rating
    with pytest.raises(qe.EditError) as exc:
        qe.question_from_fields({"code": "C32", "kind": "multiple", "text": "?", "show_if_question": "F1"})
    assert exc.value.problems == ["Câu C32: loại “Chọn nhiều” cần ít nhất một lựa chọn (mỗi dòng một lựa chọn)",
                                  "Câu C32: đã chọn điều kiện hiển thị theo câu F1 nhưng chưa ghi câu trả lời nào"]


def test_put_rename_move_remove_keep_the_definition_valid():
    q18 = next(q for q in SIPAS["questions"] if q["code"] == "C18")
    c17 = dict(next(q for q in SIPAS["questions"] if q["code"] == "C17"), code="HS")
    renamed = qe.question_put(SIPAS, "C17", c17)
    assert next(q for q in renamed["questions"] if q["code"] == "C18")["show_if"]["question"] == "HS"
    assert q18["show_if"]["question"] == "C17"  # the input is not changed
    qdef.validate(renamed)
    with pytest.raises(qe.EditError, match="Câu C18 chỉ hiện khi trả lời câu HS"):
        qe.question_remove(renamed, "HS")
    moved = qe.question_move(renamed, "C18", -100)
    assert moved["questions"][0]["code"] == "C18"
    with pytest.raises(qdef.DefinitionError, match="Câu C18: điều kiện hiển thị dựa vào câu 'HS', câu này phải đứng"):
        qdef.validate(moved)
    added = qe.question_put(SIPAS, None, {"code": "N1", "kind": "text", "text": "Khác?"}, after="C1")
    assert [q["code"] for q in added["questions"]].index("N1") == [q["code"] for q in added["questions"]].index("C1") + 1
    with pytest.raises(qe.EditError, match="Câu C2: mã đã có ở câu thứ"):
        qe.question_put(SIPAS, None, {"code": "C2", "kind": "text", "text": "?"})
    assert len(qe.question_remove(SIPAS, "Y1")["questions"]) == len(SIPAS["questions"]) - 1


def test_elements_and_settings():
    with pytest.raises(qe.EditError, match=r"Yếu tố DV1 còn 1 câu hỏi \(C12\): chuyển"):
        qe.element_remove(SIPAS, "DV1")
    renamed = qe.element_put(SIPAS, "DV1", {"code": "TC", "name": "Tiếp cận", "criterion": "1"}, weight="2,5")
    assert next(q for q in renamed["questions"] if q["code"] == "C12")["element"] == "TC"
    assert renamed["formula"]["weights"] == {"TC": 2.5}
    qdef.validate(renamed)
    with pytest.raises(qe.EditError, match="trọng số “nhiều” không phải là số"):
        qe.element_put(SIPAS, "DV1", {"code": "DV1", "name": "x"}, weight="nhiều")
    seven = qe.settings_put(SIPAS, {"title": "Phiếu 7 mức", "audience": "citizen", "scale": "\n".join("1234567"),
                                    "method": "top_share", "favourable": "6; 7"})
    assert seven["formula"] == {"method": "top_share", "favourable": [6, 7]} and len(seven["scale"]) == 7
    with pytest.raises(qe.EditError, match="“8” không phải một mức từ 1 đến 7"):
        qe.settings_put(SIPAS, {"title": "x", "scale": "\n".join("1234567"), "favourable": "7, 8"})


def test_the_workbook_reads_back_as_the_same_definition():
    read, problems = qs.from_sheets(_rows(qs.to_sheets(SIPAS)), SIPAS)
    assert problems == []
    assert qdef.validate(read) == qdef.validate(SIPAS)
    assert qs.changes(SIPAS, read) == []


def test_workbook_errors_name_sheet_row_and_column():
    sheets = qs.to_sheets(SIPAS)
    sheets[qs.QUESTIONS][3][2] = "chọn đại"  # row 4, the kind
    sheets[qs.ELEMENTS][2][3] = "hai"
    read, problems = qs.from_sheets(_rows(sheets), SIPAS)
    assert problems[0] == "Trang “Yếu tố”, dòng 3, cột D “Trọng số”: trọng số “hai” không phải là số"
    assert problems[1].startswith("Trang “Câu hỏi”, dòng 4, cột C “Loại câu hỏi”: loại câu hỏi “chọn đại” không có")
    sheets = qs.to_sheets(SIPAS)
    sheets[qs.QUESTIONS][6][1] = "C1"  # row 7 (C2) takes the code of row 6
    _, problems = qs.from_sheets(_rows(sheets), SIPAS)
    assert problems == ["Trang “Câu hỏi”, dòng 7: Câu C1: mã lặp lại"]
    _, problems = qs.from_sheets([(qs.QUESTIONS, 1, ["Mã câu"])], SIPAS)
    assert "thiếu trang “Thông tin chung”, “Thang đo”, “Yếu tố”" in problems[0]


def test_columns_found_by_heading_without_diacritics_in_any_order():
    sheets = qs.to_sheets(SIPAS)
    sheets[qs.QUESTIONS] = [list(reversed(r)) for r in sheets[qs.QUESTIONS]]
    sheets[qs.QUESTIONS][0] = [qs.fold(h) for h in sheets[qs.QUESTIONS][0]]
    read, problems = qs.from_sheets(_rows(sheets), SIPAS)
    assert problems == [] and qdef.validate(read) == qdef.validate(SIPAS)


def test_changes_say_what_was_added_removed_changed_and_moved():
    new = qe.question_move(SIPAS, "C16", -15)
    new = qe.question_remove(new, "Y1")
    new = qe.question_put(new, "C2", dict(next(q for q in SIPAS["questions"] if q["code"] == "C2"), text="Mới"))
    new = qe.question_put(new, None, {"code": "N1", "kind": "text", "text": "Thêm"})
    got = {(c.what, c.code): c.details for c in qs.changes(SIPAS, new)}
    assert got == {("moved", "C16"): [got[("moved", "C16")][0]], ("removed", "Y1"): [], ("changed", "C2"): ["nội dung"],
                   ("added", "N1"): []}


def test_a_condition_no_answer_can_meet_is_refused():
    q18 = next(q for q in SIPAS["questions"] if q["code"] == "C18")
    wrong = qe.question_put(SIPAS, "C18", dict(q18, show_if={"question": "C17", "in": ["co", "khac"]}))
    with pytest.raises(qdef.DefinitionError) as exc:
        qdef.validate(wrong)
    assert exc.value.problems == ["Câu C18: điều kiện hiển thị ghi câu trả lời 'khac' không có ở câu C17 "
                                  "(có: khong, co, khong-ro)"]
    on_rating = qe.question_put(SIPAS, "C18", dict(q18, show_if={"question": "C1", "in": ["1", "6"]}))
    with pytest.raises(qdef.DefinitionError, match=r"'6' không có ở câu C1 \(có: 1, 2, 3, 4, 5\)"):
        qdef.validate(on_rating)
