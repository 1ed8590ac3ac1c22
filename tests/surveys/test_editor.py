"""The questionnaire editor in the browser (htmx posts) and its Excel round trip."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chiso.surveys import services
from chiso.surveys.models import Questionnaire

from .conftest import Posted, answers

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def copy(survey):
    return services.questionnaire_copy(actor=survey.world.coordinator, source=survey.templates["sipas-qd1001"],
                                       owner=survey.world.province)


def _url(name, q, *args):
    return reverse(f"surveys:{name}", args=[q.public_id, *args])


def _codes(q):
    q.refresh_from_db()
    return [x["code"] for x in q.definition["questions"]]


def test_editor_page_lists_the_questions_for_the_coordinator_only(client, survey, copy, django_assert_max_num_queries):
    client.force_login(survey.world.coordinator)
    with django_assert_max_num_queries(12):
        html = client.get(_url("questionnaire_edit", copy)).content.decode()
    assert html.count('data-testid="question"') == 23 and "Thêm câu hỏi" in html and 'id="cai-dat"' in html
    assert 'style="' not in html and "<script>" not in html  # the CSP allows neither
    client.force_login(survey.world.own)
    assert client.get(_url("questionnaire_edit", copy)).status_code == 403
    client.force_login(survey.world.other)
    assert client.get(_url("questionnaire_edit", copy)).status_code == 404


def test_add_a_question_after_another_then_a_stale_form_is_refused(client, survey, copy):
    client.force_login(survey.world.coordinator)
    form = client.get(_url("question_add", copy), **HX).content.decode()
    assert 'value="C19"' in form and 'name="show_if_question"' in form
    data = {"revision": "0", "code": "C19", "kind": "single", "text": "Ông/bà biết đến dịch vụ công trực tuyến?",
            "choices": "Có\nKhông", "required": "1", "after": "C16"}
    response = client.post(_url("question_add", copy), data, **HX)
    assert response.status_code == 200 and "Đã lưu." in response.content.decode()
    assert _codes(copy).index("C19") == _codes(copy).index("C16") + 1
    assert copy.definition["questions"][_codes(copy).index("C19")]["choices"] == [["co", "Có"], ["khong", "Không"]]
    # the same form again (revision 0) after the save: refused, the editor as saved now, nothing changed
    response = client.post(_url("question_add", copy), {**data, "code": "C20"}, **HX)
    assert response.status_code == 409 and "vừa được người khác lưu" in response.content.decode()
    assert "C20" not in _codes(copy) and copy.revision == 1


def test_a_wrong_question_is_refused_with_what_was_typed_and_which_question(client, survey, copy):
    client.force_login(survey.world.coordinator)
    response = client.post(_url("question_add", copy), {"revision": "0", "code": "C1", "kind": "multiple",
                                                        "text": "Câu mới gõ dở"}, **HX)
    html = response.content.decode()
    assert response.status_code == 422 and response["HX-Retarget"] == "#cau-moi"
    assert "Câu C1: loại “Chọn nhiều” cần ít nhất một lựa chọn" in html and "Câu mới gõ dở" in html
    response = client.post(_url("question_save", copy, "C17"), {
        "revision": "0", "code": "C17", "kind": "single", "text": "Có phiền hà?", "choices": "khong | Không\nco | Có",
        "show_if_question": "C18", "show_if_values": "khac"}, **HX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#cau-C17"
    assert "Câu C17: điều kiện hiển thị dựa vào câu &#x27;C18&#x27;, câu này phải đứng trước" in response.content.decode()
    copy.refresh_from_db()
    assert copy.revision == 0 and copy.definition == survey.templates["sipas-qd1001"].definition


def test_edit_rename_move_and_remove(client, survey, copy):
    client.force_login(survey.world.coordinator)
    form = client.get(_url("question_form", copy, "C17"), **HX).content.decode()
    assert "khong | Không" in form and "Sửa câu C17" in form
    assert client.get(_url("question_form", copy, "C17") + "?huy=1", **HX).content.decode().count('id="cau-C17"') == 1
    response = client.post(_url("question_save", copy, "C17"), {
        "revision": "0", "code": "PH", "kind": "single", "text": "Có bị phiền hà không?",
        "choices": "khong | Không\nco | Có"}, **HX)
    assert response.status_code == 200
    q18 = next(x for x in Questionnaire.objects.get(pk=copy.pk).definition["questions"] if x["code"] == "C18")
    assert q18["show_if"] == {"question": "PH", "in": ["co"]}  # the condition follows the rename
    response = client.post(_url("question_remove", copy, "PH"), {"revision": "1"}, **HX)
    assert response.status_code == 422 and "Câu C18 chỉ hiện khi trả lời câu PH" in response.content.decode()
    assert client.post(_url("question_move", copy, "Y1"), {"revision": "1", "huong": "len"}, **HX).status_code == 200
    assert _codes(copy)[-2:] == ["Y1", "C18"]
    assert client.post(_url("question_remove", copy, "Y1"), {"revision": "2"}, **HX).status_code == 200
    assert "Y1" not in _codes(copy) and copy.revision == 3
    assert client.post(_url("question_remove", copy, "Y1"), {"revision": "3"}, **HX).status_code == 404


def test_elements_and_settings(client, survey, copy):
    client.force_login(survey.world.coordinator)
    response = client.post(_url("element_save", copy), {"revision": "0", "old_code": "DV1", "code": "TC",
                                                        "name": "Tiếp cận dịch vụ", "criterion": "1", "weight": "2"}, **HX)
    assert response.status_code == 200 and 'value="2"' in response.content.decode()
    copy.refresh_from_db()
    assert copy.definition["formula"]["weights"] == {"TC": 2.0}
    assert next(x for x in copy.definition["questions"] if x["code"] == "C12")["element"] == "TC"
    response = client.post(_url("element_remove", copy), {"revision": "1", "old_code": "TC"}, **HX)
    assert response.status_code == 422 and "Yếu tố TC còn" in response.content.decode()
    response = client.post(_url("element_save", copy), {"revision": "1", "old_code": "", "code": "TC", "name": "x"}, **HX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#yt-moi"
    assert "Yếu tố TC: mã đã có" in response.content.decode()
    settings = {"revision": "1", "title": "Phiếu 7 mức", "audience": "citizen", "framework": "sipas", "intro": "",
                "scale": "\n".join(f"Mức {i}" for i in range(1, 8)), "method": "top_share", "favourable": "6, 8"}
    response = client.post(_url("questionnaire_settings", copy), settings, **HX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#cai-dat"
    assert "“8” không phải một mức từ 1 đến 7" in response.content.decode()
    response = client.post(_url("questionnaire_settings", copy), {**settings, "favourable": "6, 7"}, **HX)
    assert response.status_code == 200
    copy.refresh_from_db()
    assert copy.title == "Phiếu 7 mức" and len(copy.definition["scale"]) == 7
    assert copy.definition["formula"] == {"method": "top_share", "favourable": [6, 7], "weights": {"TC": 2.0}}


def test_a_version_in_use_is_locked_and_edited_as_a_new_version(client, survey):
    """The fixture's campaign is open on the template; a province copy in an open campaign is in use."""
    w = survey.world
    copy = services.questionnaire_copy(actor=w.coordinator, source=survey.templates["sipas-qd1001"], owner=w.province)
    campaign = services.campaign_create(actor=w.coordinator, owner=w.province, questionnaire=copy,
                                        data=services.CampaignInput("Đợt của tỉnh", 2025, survey.today, survey.today))
    client.force_login(w.coordinator)
    assert client.post(_url("question_move", copy, "Y1"), {"revision": "0", "huong": "len"}, **HX).status_code == 200
    services.campaign_units_save(actor=w.coordinator, campaign=campaign, rows=[services.UnitRow(w.lead_unit, 10)])
    services.campaign_set_state(actor=w.coordinator, campaign=campaign, state="open")
    html = client.get(_url("questionnaire_edit", copy)).content.decode()
    assert "đang được dùng cho đợt khảo sát “Đợt của tỉnh”" in html and "Tạo phiên bản mới để sửa" in html
    assert 'data-testid="add-question"' not in html
    response = client.post(_url("question_move", copy, "Y1"), {"revision": "1", "huong": "len"}, **HX)
    assert response.status_code == 422 and "không sửa trực tiếp" in response.content.decode()
    response = client.post(_url("questionnaire_copy", copy), {"next": "edit"})
    v2 = Questionnaire.objects.get(owner=w.province, code=copy.code, version=copy.version + 1)
    assert response["Location"] == _url("questionnaire_edit", v2)
    assert client.post(_url("question_remove", v2, "Y1"), {"revision": "0"}, **HX).status_code == 200
    services.response_submit(entry=services.entry_for_key(campaign.units.get().open_key), data=Posted(answers()),
                             today=survey.today)
    assert "Y1" in _codes(copy)  # the answered version keeps its questions


def _book(q, edit):
    client_book = load_workbook(io.BytesIO(q))
    edit(client_book)
    out = io.BytesIO()
    client_book.save(out)
    return out.getvalue()


def test_excel_round_trip_previews_the_changes_then_saves(client, survey, copy):
    client.force_login(survey.world.coordinator)
    response = client.get(_url("questionnaire_xlsx", copy))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Thông tin chung", "Thang đo", "Yếu tố", "Câu hỏi"]
    assert book["Câu hỏi"]["B6"].value == "C1" and book["Câu hỏi"]["C6"].value == "Thang đánh giá"

    def edit(b):
        ws = b["Câu hỏi"]
        ws["E6"] = "Nơi tiếp nhận hồ sơ rộng rãi, sạch sẽ"
        ws.append([None, "N1", "Trả lời tự do", None, "Góp ý thêm", None])
        ws.delete_rows(24)  # Y1

    content = _book(response.content, edit)
    upload = SimpleUploadedFile("phieu.xlsx", content)
    response = client.post(_url("questionnaire_upload", copy), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="changes"' in html
    assert 'data-what="changed"' in html and "Sửa nội dung" in html and 'data-what="added"' in html
    assert 'data-what="removed"' in html
    copy.refresh_from_db()
    assert copy.revision == 0  # nothing saved by a preview
    payload = html.split('name="payload" value="')[1].split('"')[0]
    response = client.post(_url("questionnaire_upload_save", copy), {"payload": payload})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.definition["questions"][4]["text"] == "Nơi tiếp nhận hồ sơ rộng rãi, sạch sẽ"
    assert _codes(copy)[-1] == "N1" and "Y1" not in _codes(copy)
    # the same preview again: the questionnaire was saved since, so it is refused
    response = client.post(_url("questionnaire_upload_save", copy), {"payload": payload}, follow=True)
    assert "vừa được người khác lưu" in response.content.decode() and copy.revision == 1


def test_excel_errors_name_sheet_row_and_column_and_save_nothing(client, survey, copy):
    client.force_login(survey.world.coordinator)
    original = client.get(_url("questionnaire_xlsx", copy)).content

    def edit(b):
        b["Câu hỏi"]["C7"] = "Chọn đại"
        b["Yếu tố"]["D3"] = "hai"

    response = client.post(_url("questionnaire_upload", copy), {"file": SimpleUploadedFile("p.xlsx", _book(original, edit))})
    html = response.content.decode()
    assert response.status_code == 422 and "p.xlsx: chưa đọc được phiếu, có 2 lỗi. Chưa lưu gì." in html
    assert "Trang “Câu hỏi”, dòng 7, cột C “Loại câu hỏi”: loại câu hỏi “Chọn đại” không có" in html
    assert "Trang “Yếu tố”, dòng 3, cột D “Trọng số”: trọng số “hai” không phải là số" in html
    too_big = SimpleUploadedFile("lon.xlsx", b"x" * (2 * 1024 * 1024 + 1))
    html = client.post(_url("questionnaire_upload", copy), {"file": too_big}).content.decode()
    assert "lon.xlsx: tệp 2,0 MB vượt giới hạn 2,0 MB." in html
    html = client.post(_url("questionnaire_upload", copy), {"file": SimpleUploadedFile("p.docx", b"abc")}).content.decode()
    assert "chỉ nhận tệp Excel" in html
    response = client.post(_url("questionnaire_upload_save", copy), {"payload": "gia-mao"}, follow=True)
    assert "không hợp lệ" in response.content.decode()
    copy.refresh_from_db()
    assert copy.revision == 0


def test_the_json_editor_is_still_there_for_those_who_prefer_it(client, survey, copy):
    import json

    client.force_login(survey.world.coordinator)
    url = _url("questionnaire_json", copy)
    assert "chiso.questionnaire/1" in client.get(url).content.decode()
    response = client.post(url, {"revision": "0", "definition": "{\n\"title\": }"})
    assert response.status_code == 422 and "Nội dung không phải JSON hợp lệ (dòng 2): chưa lưu gì." in \
        response.content.decode()
    changed = json.dumps(dict(copy.definition, title="Phiếu sửa bằng JSON"))
    assert client.post(url, {"revision": "0", "definition": changed}).status_code == 302
    response = client.post(url, {"revision": "0", "definition": changed})
    assert response.status_code == 422 and "vừa được người khác lưu" in response.content.decode()
    copy.refresh_from_db()
    assert copy.title == "Phiếu sửa bằng JSON" and copy.revision == 1
