"""The plan editor's pages and htmx endpoints: what each answers, refusals with their reason,
and a fixed number of queries."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chiso.plans import services
from chiso.plans.models import Assignment, ItemValue, PlanItem, PlanState, Task

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(daknong):
    return services.plan_start_from_results(actor=daknong.coordinator, assessment=daknong.results)


@pytest.fixture
def coordinator(client, daknong):
    client.force_login(daknong.coordinator)
    return client


def leaf(plan, code="6.3.4"):
    return PlanItem.objects.get(table__plan=plan, code=code)


def test_start_from_results_opens_the_editor(coordinator, daknong):
    response = coordinator.post(reverse("plans:start_results"), {"results": daknong.results.public_id})
    plan = daknong.issuer.plans.get(state=PlanState.DRAFT)
    assert response.status_code == 302 and response["Location"] == reverse("plans:edit", args=[plan.public_id])
    page = coordinator.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="plan-row') == PlanItem.objects.filter(table__plan=plan).count()
    assert "Chưa có nhiệm vụ khắc phục" in html and 'data-testid="checks"' in html
    # last year's tasks (KH 475) offered for the criteria it covered
    assert "Nhiệm vụ năm trước cho tiêu chí này" in html and "475/KH-UBND" in html


def test_the_editor_reads_a_fixed_number_of_queries(coordinator, draft):
    url = reverse("plans:edit", args=[draft.public_id])
    unit = draft.issuer.children.first()
    items = list(PlanItem.objects.filter(table__plan=draft, level__gt=1))

    def add_task(item):
        services.task_add(actor=None, item=item, text="Nhiệm vụ",
                          assignments=[services.AssignmentInput("lead", unit.name, unit=unit)])

    add_task(items[0])
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(url).status_code == 200
    for item in items[1:]:
        add_task(item)
        add_task(item)
    with CaptureQueriesContext(connection) as more:
        assert coordinator.get(url).status_code == 200
    assert len(more) == len(few) <= 30


def test_a_target_is_saved_and_its_field_follows_out_of_band(coordinator, draft):
    item = leaf(draft)
    url = reverse("plans:item_save", args=[draft.public_id, item.public_id])
    response = coordinator.post(url, {"version": item.version, "muc-tieu-2024": "1"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "plan-changed"
    field = PlanItem.objects.get(table__plan=draft, code="6")
    assert f'id="dong-{field.public_id}"' in html and 'hx-swap-oob="true"' in html
    assert ItemValue.objects.get(item=field, key="target").value == field.baseline + 1
    # above the max: refused, what was typed stays, no number saved
    item.refresh_from_db()
    response = coordinator.post(url, {"version": item.version, "muc-tieu-2024": "5,5"}, **HX)
    assert response.status_code == 422
    assert "lớn hơn điểm tối đa 1" in response.content.decode() and 'value="5,5"' in response.content.decode()
    response = coordinator.post(url, {"version": item.version, "muc-tieu-2024": "abc"}, **HX)
    assert response.status_code == 422 and "không phải là một số" in response.content.decode()
    assert ItemValue.objects.get(item=item, key="target").value == 1


def test_a_stale_task_form_is_refused_with_who_and_the_typed_text(coordinator, daknong, draft):
    task = services.task_add(actor=daknong.coordinator, item=leaf(draft), text="Ban đầu")
    url = reverse("plans:task_save", args=[draft.public_id, task.public_id])
    shown = task.version
    assert coordinator.post(url, {"version": shown, "text": "Lần một", "deadline": "Quý II"}, **HX).status_code == 200
    response = coordinator.post(url, {"version": shown, "text": "Lần hai"}, **HX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "vừa được" in html and "Nội dung anh/chị đã nhập: Lần hai" in html
    task.refresh_from_db()
    assert task.text == "Lần một" and task.due_date == dt.date(2024, 6, 30)


def test_deadline_preview_and_unit_suggestions(coordinator, daknong, draft):
    check = reverse("plans:deadline_check", args=[draft.public_id])
    assert "Hạn 30/06/2024" in coordinator.get(check, {"deadline": "trước ngày 30/6"}).content.decode()
    flagged = coordinator.get(check, {"deadline": "sau khi có hướng dẫn"}).content.decode()
    assert 'data-testid="deadline-flag"' in flagged
    task = services.task_add(actor=None, item=leaf(draft), text="Nhiệm vụ")
    suggest = reverse("plans:unit_suggest", args=[draft.public_id, task.public_id])
    html = coordinator.get(suggest, {"text": "tu phap"}).content.decode()
    assert "Sở Tư pháp" in html and daknong.justice.public_id in html
    assert "Nhóm đơn vị" in coordinator.get(suggest, {"text": "các sở, ban, ngành"}).content.decode()


def test_agencies_added_removed_and_undone(coordinator, daknong, draft):
    task = services.task_add(actor=None, item=leaf(draft), text="Nhiệm vụ")
    add = reverse("plans:assignment_add", args=[draft.public_id, task.public_id])
    response = coordinator.post(add, {"version": task.version, "role": "lead", "unit": daknong.justice.public_id}, **HX)
    assert response.status_code == 200
    task.refresh_from_db()
    response = coordinator.post(add, {"version": task.version, "role": "coordinating", "text": "Sở Không Có Thật"}, **HX)
    assert response.status_code == 422 and "Không tìm thấy" in response.content.decode()
    assignment = Assignment.objects.get(task=task)
    response = coordinator.post(reverse("plans:assignment_remove", args=[draft.public_id, assignment.public_id]),
                                {"version": task.version}, **HX)
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    assert not Assignment.objects.filter(task=task).exists()
    coordinator.post(reverse("plans:task_undo", args=[draft.public_id, task.public_id]), {"token": token}, **HX)
    assert Assignment.objects.get(task=task).unit == daknong.justice


def test_an_other_agency_reads_but_cannot_write(client, daknong, draft):
    client.force_login(daknong.officer)
    item = leaf(draft)
    assert client.get(reverse("plans:detail", args=[draft.public_id])).status_code == 200
    assert client.get(reverse("plans:edit", args=[draft.public_id])).status_code == 403
    response = client.post(reverse("plans:task_add", args=[draft.public_id, item.public_id]), {"text": "x"}, **HX)
    assert response.status_code == 403 and not Task.objects.filter(item=item).exists()
    client.force_login(daknong.stranger)
    assert client.get(reverse("plans:detail", args=[draft.public_id])).status_code == 404


def test_submit_issue_amend_and_diff_pages(coordinator, daknong, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = leaf(draft)
    services.task_add(actor=None, item=item, text="Nhiệm vụ", deadline_text="trước ngày 30/9")
    coordinator.post(reverse("plans:submit", args=[draft.public_id]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == PlanState.SUBMITTED
    assert coordinator.get(reverse("plans:edit", args=[draft.public_id])).status_code == 302
    pdf = SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    coordinator.post(reverse("plans:issue", args=[draft.public_id]),
                     {"version": draft.version, "number": "9/KH-UBND", "date": "2024-01-20", "signed_pdf": pdf})
    draft.refresh_from_db()
    assert (draft.state, draft.number) == (PlanState.ISSUED, "9/KH-UBND")
    detail = coordinator.get(reverse("plans:detail", args=[draft.public_id])).content.decode()
    assert "Điều chỉnh, bổ sung kế hoạch" in detail and "bản ký (PDF)" in detail
    coordinator.post(reverse("plans:amend", args=[draft.public_id]), {"version": draft.version, "reason": "Quý II"})
    draft.refresh_from_db()
    task = Task.objects.get(item=item)
    services.task_update(actor=None, task=task, version=task.version, text=task.text, deadline_text="trước ngày 31/10")
    page = coordinator.get(reverse("plans:diff", args=[draft.public_id])).content.decode()
    assert "trước ngày 30/9" in page and "trước ngày 31/10" in page
    history = coordinator.get(reverse("plans:history", args=[draft.public_id])).content.decode()
    assert "Thời gian thực hiện" in history and "trước ngày 31/10" in history
