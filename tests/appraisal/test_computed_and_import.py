"""Issue 12 items 1 and 6: computed criteria with the rule language and Vietnamese labels, the criteria
import from the Excel template in the UI, the criteria's history, the points entry form."""
from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from chiso.appraisal import services
from chiso.appraisal.services import CriterionInput, InputRow
from chiso.common.errors import ServiceError
from chiso.frameworks.models import Criterion
from tests.appraisal.conftest import CRITERIA, dates

pytestmark = pytest.mark.django_db

ON_TIME = CriterionInput("2.3", "Tỷ lệ hồ sơ giải quyết đúng hạn", D(2), method="computed",
                         rule="ratio(dung_han, tong_so) * max_points",
                         inputs="dung_han: số hồ sơ giải quyết đúng hạn; tong_so: tổng số hồ sơ đã giải quyết. "
                                "Điểm theo tỷ lệ đúng hạn.")


def computed_cycle(ap):
    fw = services.framework_create(actor=ap.u.coordinator, province=ap.province, group="districts", year=2026)
    services.criteria_import(actor=ap.u.coordinator, framework=fw, rows=[*CRITERIA, ON_TIME], version=fw.edit_version)
    fw.refresh_from_db()
    return services.cycle_open(actor=ap.u.coordinator, framework=fw, name="Đợt có công thức", dates=dates(),
                               units=[ap.justice, ap.finance])


def test_a_computed_criterion_needs_a_rule_that_reads_and_labels_for_its_inputs(ap):
    fw = services.framework_create(actor=ap.u.coordinator, province=ap.province, group="districts", year=2026)
    rows = [CriterionInput("1", "Lĩnh vực", D(2)),
            CriterionInput("1.1", "Không công thức", D(1), method="computed", where="dòng 3"),
            CriterionInput("1.2", "Công thức hỏng", D(1), method="computed", rule="ratio(a, ", inputs="a: A",
                           where="dòng 4"),
            CriterionInput("1.3", "Thiếu diễn giải", D(1), method="computed", rule="ratio(a, b) * max_points",
                           inputs="a: số A", where="dòng 5"),
            CriterionInput("1.4", "Thẩm định có công thức", D(1), rule="a", where="dòng 6")]
    with pytest.raises(ServiceError) as refused:
        services.criteria_import(actor=ap.u.coordinator, framework=fw, rows=rows, version=fw.edit_version)
    details = refused.value.details
    assert any(d.startswith("dòng 3: tiêu chí tính theo công thức cần có công thức") for d in details)
    assert any(d.startswith("dòng 4: Công thức") for d in details)
    assert "dòng 5: số liệu “b” của công thức chưa có diễn giải (ghi “b: ý nghĩa”)" in details
    assert "dòng 6: chỉ tiêu chí “Tính theo công thức” mới có công thức." in details
    assert not fw.version.criteria.exists()  # all or nothing


def test_raw_inputs_give_the_points_with_vietnamese_labels(client, ap):
    cycle = computed_cycle(ap)
    with pytest.raises(ServiceError) as refused:
        services.computed_inputs_set(actor=ap.u.coordinator, cycle=cycle,
                                     rows=[InputRow(ap.justice, "2.3", {"dung_han": D(95), "tong_so": None})])
    assert refused.value.details == ["Sở Tư pháp, tiêu chí 2.3: thiếu “tổng số hồ sơ đã giải quyết”."]
    with pytest.raises(ServiceError):  # points of a computed criterion come from its inputs
        services.survey_points_set(actor=ap.u.coordinator, cycle=cycle,
                                   rows=[services.PointRow(ap.justice, "2.3", D(1))])
    n = services.computed_inputs_set(actor=ap.u.coordinator, cycle=cycle,
                                     rows=[InputRow(ap.justice, "2.3", {"dung_han": D(95), "tong_so": D(100)})])
    e = cycle.sheets.get(unit=ap.justice).entries.get(criterion__code="2.3")
    assert n == 1 and e.score == D("1.9") and e.raw_inputs == {"dung_han": "95", "tong_so": "100"}
    assert e.comment == "Tính từ số liệu — số hồ sơ giải quyết đúng hạn: 95; tổng số hồ sơ đã giải quyết: 100."
    # the page: inputs labelled in Vietnamese, the computed points, one save for the whole table
    client.force_login(ap.u.coordinator)
    url = reverse("appraisal:points_form", args=[cycle.public_id])
    page = client.get(url).content.decode()
    assert "số hồ sơ giải quyết đúng hạn" in page and "dung_han</th>" not in page and "1,9" in page
    justice, finance = (cycle.sheets.get(unit=u).public_id for u in (ap.justice, ap.finance))
    form = {f"i_{justice}_2.3_dung_han": "80", f"i_{justice}_2.3_tong_so": "100",
            f"p_{justice}_2.1": "5,5", f"p_{finance}_2.1": "6", f"p_{finance}_2.2": "abc"}
    bad = client.post(url, form)
    assert bad.status_code == 422
    assert "Sở Tài chính, tiêu chí 2.2: điểm “abc” không phải là một số (ghi như 8,5)." in bad.content.decode()
    assert 'value="5,5"' in bad.content.decode()  # what was typed stays
    assert e.sheet.entries.get(criterion__code="2.1").score is None  # nothing half-saved
    form[f"p_{finance}_2.2"] = "9"
    over = client.post(url, form)
    assert over.status_code == 422 and "Sở Tài chính: Tiêu chí 2.2: điểm 9 phải từ 0 đến 4." in over.content.decode()
    form[f"p_{finance}_2.2"] = "3,5"
    assert client.post(url, form).status_code == 302
    scores = dict(cycle.sheets.get(unit=ap.finance).entries.values_list("criterion__code", "score"))
    assert scores["2.1"] == D(6) and scores["2.2"] == D("3.5")
    assert cycle.sheets.get(unit=ap.justice).entries.get(criterion__code="2.3").score == D("1.6")


def test_the_points_form_is_the_coordinators(client, ap):
    url = reverse("appraisal:points_form", args=[ap.cycle.public_id])
    client.force_login(ap.u.officer)
    assert client.get(url).status_code == 403
    client.force_login(ap.u.other)
    assert client.get(url).status_code == 404


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("bo-chi-so.xlsx", buffer.getvalue())


def test_criteria_import_from_the_excel_template(client, ap):
    fw = services.framework_create(actor=ap.u.coordinator, province=ap.province, group="communes", year=2026)
    client.force_login(ap.u.coordinator)
    template = client.get(reverse("appraisal:criteria_template", args=[fw.public_id]))
    assert template.status_code == 200
    ws = load_workbook(io.BytesIO(template.content))["Bộ chỉ số"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Mã", "Tên lĩnh vực, tiêu chí", "Điểm tối đa", "Phương pháp chấm"]
    page = client.get(reverse("appraisal:framework", args=[fw.public_id])).content.decode()
    assert "Nhập bộ chỉ số từ Excel" in page
    url = reverse("appraisal:criteria_import", args=[fw.public_id])
    bad = client.post(url, {"version": fw.edit_version, "file": xlsx([
        header,
        ["1", "Công tác chỉ đạo", None, "Thẩm định"],
        ["1.1", "Kế hoạch CCHC", "2,5", "Thẩm định", "Đúng hạn: 2,5 điểm", "Có", ""],
        ["1.2", "Hồ sơ đúng hạn", 2, "Không biết", "", "Có"],
        ["1.3", "Hồ sơ trực tuyến", "hai", "Thẩm định"],
        ["3.1", "Không có cha", 1, "Thẩm định", "", "Không", "Làng"],
    ])}, follow=True)
    text = bad.content.decode()
    assert "bo-chi-so.xlsx, dòng 4, cột Phương pháp chấm: “Không biết” không phải một phương pháp của mẫu." in text
    assert "bo-chi-so.xlsx, dòng 5, cột Điểm tối đa: “hai” không phải là số (ghi như 2,5)." in text
    assert "bo-chi-so.xlsx, dòng 6, cột Áp dụng cho: không rõ loại đơn vị “Làng”." in text
    assert not fw.version.criteria.exists()
    good = client.post(url, {"version": fw.edit_version, "file": xlsx([
        header,
        ["1", "Công tác chỉ đạo", None, "Thẩm định"],
        ["1.1", "Kế hoạch CCHC", "2,5", "Thẩm định", "Đúng hạn: 2,5 điểm", "Có", ""],
        ["1.2", "Hồ sơ đúng hạn", 2, "Tính theo công thức", "", "Không", "Xã, phường, thị trấn",
         "ratio(dung_han, tong_so) * max_points", "dung_han: số hồ sơ đúng hạn; tong_so: tổng số hồ sơ"],
        ["2", "Cải cách TTHC", 3, "Thẩm định"],
        ["2.1", "Niêm yết TTHC", 3, "Điều tra XHH", "", "Có"],
    ])}, follow=True)
    assert "Đã nhập 5 lĩnh vực, tiêu chí từ bo-chi-so.xlsx." in good.content.decode()
    codes = dict(fw.version.criteria.values_list("code", "max_points"))
    assert codes == {"1": D("4.5"), "1.1": D("2.5"), "1.2": D(2), "2": D(3), "2.1": D(3)}
    c = Criterion.objects.get(version=fw.version, code="1.2")
    assert c.rule == "ratio(dung_han, tong_so) * max_points" and c.internal.unit_kinds == ["commune"]
    assert not c.internal.evidence_required
    # the template of a set with criteria carries its rows: what is exported imports again
    again = load_workbook(io.BytesIO(client.get(reverse("appraisal:criteria_template", args=[fw.public_id])).content))
    assert [r[0] for r in again["Bộ chỉ số"].iter_rows(min_row=2, values_only=True)] == ["1", "1.1", "1.2", "2", "2.1"]


def test_criteria_changes_are_in_the_history(ap):
    fw = services.framework_create(actor=ap.u.coordinator, province=ap.province, group="communes", year=2026)
    services.criteria_import(actor=ap.u.coordinator, framework=fw, rows=list(CRITERIA), version=fw.edit_version)
    fw.refresh_from_db()
    c = Criterion.objects.get(version=fw.version, code="1.1")
    services.criterion_save(actor=ap.u.coordinator, framework=fw, criterion=c, version=fw.edit_version,
                            data=CriterionInput("1.1", "Kế hoạch CCHC năm (sửa)", D(3)))
    history = list(c.history.order_by("history_date"))
    assert [h.name for h in history] == ["Kế hoạch CCHC năm", "Kế hoạch CCHC năm (sửa)"]
    assert {h.history_user for h in history} == {ap.u.coordinator}
    fw.refresh_from_db()
    pk = c.pk
    services.criterion_remove(actor=ap.u.coordinator, framework=fw, criterion=c, version=fw.edit_version)
    assert Criterion.history.filter(id=pk, history_type="-").get().history_user == ap.u.coordinator
