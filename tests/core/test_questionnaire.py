"""Questionnaire definitions: the bundled ones are valid, mistakes are named, answers are cleaned."""
import json
from pathlib import Path

import pytest

from chiso.core import questionnaire as q

BUNDLED = Path(__file__).resolve().parents[2] / "chiso" / "data" / "surveys"


def small(**over):
    d = {"title": "Phiếu thử", "scale": ["Không hài lòng", "Bình thường", "Hài lòng"],
         "elements": [{"code": "E1", "name": "Tiếp cận"}],
         "questions": [
             {"code": "F1", "kind": "fact", "fact": "sex", "text": "Giới tính", "choices": [["nam", "Nam"], ["nu", "Nữ"]]},
             {"code": "C1", "kind": "rating", "element": "E1", "text": "Biển hiệu rõ", "required": True},
             {"code": "C2", "kind": "single", "text": "Có bị phiền hà?", "choices": [["co", "Có"], ["khong", "Không"]]},
             {"code": "C3", "kind": "multiple", "text": "Phiền hà gì?", "choices": ["Trễ hẹn", "Chi thêm"],
              "show_if": {"question": "C2", "in": ["co"]}, "required": True},
             {"code": "Y1", "kind": "text", "text": "Góp ý", "max_length": 10}]}
    d.update(over)
    return d


def test_bundled_questionnaires_are_valid():
    sipas = q.validate(json.loads((BUNDLED / "sipas_qd1001.json").read_text(encoding="utf-8")))
    items = sipas.rated_items()
    assert len(items) == 16  # the 16 items of Đắk Nông's Phụ lục 02
    assert [q_.source.rsplit(" ", 1)[-1] for q_ in sipas.questions if q_.code in items] == [str(i) for i in range(1, 17)]
    service = {e.code: e.criterion for e in sipas.elements if e.criterion}
    assert service == {"DV1": "1", "DV2": "2", "DV3": "3", "DV4": "4", "DV5": "5"}
    # items 12–16 map one to one to the five service elements
    assert [items[f"C{i}"] for i in range(12, 17)] == ["DV1", "DV2", "DV3", "DV4", "DV5"]
    assert {f for f in (x.fact for x in sipas.questions) if f} == {"service", "age_band", "sex"}
    delegates = q.validate(json.loads((BUNDLED / "delegates_qd876.json").read_text(encoding="utf-8")))
    assert delegates.audience == "delegate" and delegates.framework == "par-index-province"
    assert "2.4.1" in {x.criterion for x in delegates.questions}


def test_every_problem_is_named():
    bad = small(questions=[
        {"code": "1x", "kind": "rating", "text": "x"},
        {"code": "C1", "kind": "rating", "element": "E9", "text": ""},
        {"code": "C1", "kind": "slider", "text": "x"},
        {"code": "C2", "kind": "single", "text": "x", "choices": []},
        {"code": "C3", "kind": "single", "text": "x", "choices": [["a", "A"], ["a", "B"]],
         "show_if": {"question": "C9", "in": ["a"]}},
    ])
    with pytest.raises(q.DefinitionError) as exc:
        q.validate(bad)
    text = "\n".join(exc.value.problems)
    for expected in ("Câu thứ 1: mã '1x' không hợp lệ", "Câu C1: yếu tố 'E9' không có", "Câu C1: thiếu nội dung",
                     "loại câu hỏi 'slider'", "Câu C2: cần danh sách lựa chọn", "giá trị lựa chọn 'a' lặp lại",
                     "dựa vào câu 'C9', câu này phải đứng trước"):
        assert expected in text


def test_scale_and_format_checked():
    with pytest.raises(q.DefinitionError, match="thang đo cần"):
        q.validate(small(scale=["Một"]))
    with pytest.raises(q.DefinitionError, match="Định dạng"):
        q.validate(small(format="other/2"))
    with pytest.raises(q.DefinitionError, match="ngoài thang đo"):
        q.validate(small(formula={"favourable": [5]}))


def test_clean_answers_and_show_if():
    d = q.validate(small())
    answers, errors = q.clean(d, {"C1": ["3"], "C2": ["khong"], "C3": ["1"], "Y1": ["ngắn"], "F1": ["nu"]})
    assert errors == {}
    assert answers == {"C1": 3, "C2": "khong", "Y1": "ngắn", "F1": "nu"}  # C3 hidden: its answer dropped
    answers, errors = q.clean(d, {"C1": ["3"], "C2": ["co"]})
    assert errors == {"C3": "Câu này cần trả lời."}  # shown now, and required
    answers, errors = q.clean(d, {"C1": ["3"], "C2": ["co"], "C3": ["2", "1"]})
    assert answers["C3"] == ["1", "2"]


def test_clean_refuses_values_outside_the_question():
    d = q.validate(small())
    _, errors = q.clean(d, {"C1": ["4"], "C2": ["maybe"], "F1": ["x"], "Y1": ["quá mười một ký tự"]})
    assert set(errors) == {"C1", "C2", "F1", "Y1"}
    _, errors = q.clean(d, {})
    assert errors == {"C1": "Câu này cần trả lời."}
    _, errors = q.clean(d, {"C1": ["1", "2"]})
    assert "C1" in errors


def test_answer_labels():
    d = q.validate(small())
    assert q.answer_label(d.question("C1"), 3, d.scale) == "3 - Hài lòng"
    assert q.answer_label(d.question("C3"), ["1", "2"], d.scale) == "Trễ hẹn; Chi thêm"
    assert q.answer_label(d.question("F1"), "nu", d.scale) == "Nữ"
