"""Every page with the three users: own agency, another agency, the coordinator."""
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from chiso.plans.loader import plan_load

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"

# (url name, how to get its kwargs from the world, expected status per user)
PAGES = [
    ("home", lambda w: {}, {"own": 200, "other": 200, "coordinator": 200}),
    ("search", lambda w: {}, {"own": 200, "other": 200, "coordinator": 200}),
    ("plans:detail", lambda w: {"public_id": w.plan.public_id}, {"own": 200, "other": 404, "coordinator": 200}),
    ("plans:gap", lambda w: {"public_id": w.plan.public_id}, {"own": 200, "other": 404, "coordinator": 200}),
    ("units:list", lambda w: {}, {"own": 200, "other": 200, "coordinator": 200}),
    ("units:detail", lambda w: {"public_id": w.lead_unit.public_id}, {"own": 200, "other": 404, "coordinator": 200}),
    ("units:detail", lambda w: {"public_id": w.home_affairs.public_id}, {"own": 404, "other": 404, "coordinator": 200}),
    ("frameworks:list", lambda w: {}, {"own": 200, "other": 200, "coordinator": 200}),
]


@pytest.mark.parametrize("name,kwargs,expected", PAGES, ids=[p[0] for p in PAGES])
def test_pages_by_user(client, world, three_users, name, kwargs, expected):
    url = reverse(name, kwargs=kwargs(world))
    for who, user in three_users:
        client.force_login(user)
        assert client.get(url).status_code == expected[who], (who, url)


def test_pages_need_login(client, world):
    response = client.get(reverse("plans:detail", kwargs={"public_id": world.plan.public_id}))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_urls_do_not_expose_sequential_ids(world):
    url = reverse("plans:detail", kwargs={"public_id": world.plan.public_id})
    assert str(world.plan.pk) not in url.split("/") and len(world.plan.public_id) >= 12


def test_search_ignores_diacritics_and_case_and_scope(client, world, three_users):
    world.item.name = "Tỷ lệ TTHC thực hiện tiếp nhận tại Bộ phận Một cửa"
    world.item.save()
    for who, user in three_users:
        client.force_login(user)
        body = client.get(reverse("search"), {"q": "BO PHAN mot cua"}).content.decode()
        assert ("Bộ phận Một cửa" in body) == (who != "other"), who


def test_unit_page_lists_tasks_it_leads(client, world):
    client.force_login(world.own)
    body = client.get(reverse("units:detail", kwargs={"public_id": world.lead_unit.public_id})).content.decode()
    assert world.task.text in body and "Nhiệm vụ chủ trì (1)" in body


@pytest.fixture
def daknong(demo_reference):
    doc = json.loads((GOLDEN / "002_612d7236c16ec5ba.json").read_text(encoding="utf-8"))
    return plan_load(actor=None, document=doc).plan


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="boss", role="admin", unit=None)


def test_daknong_gap_page(client, daknong, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("plans:gap", kwargs={"public_id": daknong.public_id})).content.decode()
    assert 'data-testid="total-lost">14,585<' in body
    fields = body.split('data-testid="fields-table"')[1]
    first_row = fields.split("<tbody>")[1].split("</tr>")[0]
    assert "8. TÁC ĐỘNG" in first_row and ">4,6<" in first_row and ">16,5<" in first_row
    flag = body.split('data-testid="rounding-flag"')[1].split("</div>")[0]
    assert "12,905" in flag and "12,9045" in flag and "0,0005" in flag
    assert "<svg" in body and "Điều tra XHH" in body


def test_plan_page_query_budget(client, daknong, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    url = reverse("plans:detail", kwargs={"public_id": daknong.public_id})
    with django_assert_max_num_queries(15):
        response = client.get(url)
    body = response.content.decode()
    row = body.split('<td class="text-nowrap">1.1</td>')[1].split("</tr>")[0]
    assert "Thực hiện kế hoạch CCHC" in row and row.count('<td class="num">1,5</td>') == 3
    # "Giám đốc Sở Nội vụ" is resolved to the unit Sở Nội vụ; the coordinating groups stay groups
    lead = row.split('<span class="text-muted">Chủ trì:</span>')[1].split("</div>")[0]
    assert re.fullmatch(r' <a href="/don-vi/\w+/">Sở Nội vụ</a>', lead), lead
    assert '<span class="fst-italic" title="Nhóm đơn vị">UBND cấp huyện</span>' in row
    assert 'title="Chậm nhất' not in body  # Đắk Nông prints no deadlines


def test_gap_page_query_budget(client, daknong, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(15):
        client.get(reverse("plans:gap", kwargs={"public_id": daknong.public_id}))


def test_plan_page_filters_sort_and_excel(client, daknong, admin_user, django_assert_max_num_queries):
    """Filters by field and unit keep the plan's order with the field headings; a sort lists one
    task a row; the Excel list carries the same tasks, user text kept as text."""
    import io

    from openpyxl import load_workbook

    from chiso.plans.models import PlanItem, Task
    from chiso.units.models import Unit

    client.force_login(admin_user)
    url = reverse("plans:detail", kwargs={"public_id": daknong.public_id})
    everything = client.get(url).context
    total = everything["total"]
    field8 = PlanItem.objects.get(table__plan=daknong, level=1, code="8")
    with django_assert_max_num_queries(15):
        response = client.get(url, {"linh-vuc": field8.public_id})
    rows = [r for t in response.context["tables"] for r in t["rows"]]
    assert rows and all(r.field_id == field8.public_id for r in rows)
    assert 0 < response.context["shown"] < total
    assert f'Đang hiện {response.context["shown"]} / {total} nhiệm vụ.' in response.content.decode()
    snv = Unit.objects.get(name="Sở Nội vụ", root=daknong.issuer)
    by_unit = client.get(url, {"don-vi": snv.public_id}).context
    tasks = [t for tb in by_unit["tables"] for r in tb["rows"] for t in r.tasks]
    assert tasks and all(any(a.unit_id == snv.pk for a in t.assignments.all()) for t in tasks)
    expected = Task.objects.filter(item__table__plan=daknong, assignments__unit=snv, removed_at__isnull=True).distinct()
    assert len(tasks) == expected.count()
    # headings of the fields stay above their matching rows, with no tasks of their own when none match
    levels = [r.item.level for tb in by_unit["tables"] for r in tb["rows"]]
    assert levels[0] == 1
    # sorted by lead unit: one task a row
    sorted_rows = [r for tb in client.get(url, {"don-vi": snv.public_id, "sap-xep": "han"}).context["tables"]
                   for r in tb["rows"]]
    assert all(len(r.tasks) == 1 for r in sorted_rows) and len(sorted_rows) == len(tasks)
    # an unknown value is ignored, not an error
    # (the unfiltered page's body, as cached by the first request: no filter is active)
    ignored = client.get(url, {"trang-thai": "x", "han": "<script>"})
    assert ignored.status_code == 200 and 'data-testid="shown-count"' not in ignored.content.decode()
    assert "&lt;script&gt;" not in ignored.content.decode()
    # the Excel list: the same tasks, in the same order
    xlsx = client.get(reverse("plans:tasks_xlsx", kwargs={"public_id": daknong.public_id}),
                      {"don-vi": snv.public_id})
    assert xlsx.status_code == 200 and "nhiem-vu-" in xlsx["Content-Disposition"]
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    texts = [ws.cell(r, 4).value for r in range(5, ws.max_row + 1)]
    assert texts == [t.text for t in tasks]
    assert ws.cell(4, 5).value == "Chủ trì"


def test_plan_excel_keeps_formula_like_text_as_text(client, world, three_users):
    import io

    from openpyxl import load_workbook

    world.task.text = "=HYPERLINK(\"http://x\")"
    world.task.save()
    client.force_login(world.coordinator)
    xlsx = client.get(reverse("plans:tasks_xlsx", kwargs={"public_id": world.plan.public_id}))
    cell = load_workbook(io.BytesIO(xlsx.content)).active.cell(5, 4)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_gap_page_links_fields_and_criteria_to_the_plan(client, daknong, admin_user):
    from chiso.plans.models import PlanItem

    client.force_login(admin_user)
    body = client.get(reverse("plans:gap", kwargs={"public_id": daknong.public_id})).content.decode()
    field8 = PlanItem.objects.get(table__plan=daknong, level=1, code="8")
    plan_url = reverse("plans:detail", kwargs={"public_id": daknong.public_id})
    assert f'href="{plan_url}?linh-vuc={field8.public_id}"' in body
    link = body.split('data-testid="criterion-tasks"')[0].rsplit('href="', 1)[1].split('"')[0]
    anchor = link.split("#")[1]
    assert link.startswith(plan_url + "#item-")
    assert f'id="{anchor}"' in client.get(plan_url).content.decode()


def test_unit_page_filters_and_excel(client, world):
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from tests.factories import AssignmentFactory, PlanItemFactory

    late = AssignmentFactory(task__item=PlanItemFactory(table=world.table), unit=world.lead_unit, role="lead").task
    late.due_date, late.text = dt.date(2020, 1, 31), "Nhiệm vụ đã quá hạn"
    late.save()
    world.task.status = "done"
    world.task.save()
    client.force_login(world.own)
    url = reverse("units:detail", kwargs={"public_id": world.lead_unit.public_id})
    assert len(client.get(url).context["lead"]) == 2
    overdue = client.get(url, {"han": "qua-han"})
    assert [a.task for a in overdue.context["lead"]] == [late]
    assert "Đang hiện 1 / 2 nhiệm vụ." in overdue.content.decode()
    assert [a.task for a in client.get(url, {"trang-thai": "done"}).context["lead"]] == [world.task]
    xlsx = client.get(reverse("units:tasks_xlsx", kwargs={"public_id": world.lead_unit.public_id}), {"han": "qua-han"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [ws.cell(r, 4).value for r in range(4, ws.max_row + 1)] == ["Nhiệm vụ đã quá hạn"]
    assert ws.cell(4, 6).value == "31/01/2020"


def test_search_filters_by_kind_status_and_deadline(client, world):
    import datetime as dt

    world.item.name = "Theo dõi thi hành pháp luật về hộ tịch"
    world.item.save()
    world.task.text, world.task.due_date = "Kiểm tra hộ tịch ở cấp xã", dt.date(2020, 3, 31)
    world.task.save()
    client.force_login(world.own)
    everything = client.get(reverse("search"), {"q": "ho tich"}).context["results"]
    assert everything["items"] and everything["tasks"]
    only_items = client.get(reverse("search"), {"q": "ho tich", "loai": "tieu-chi"}).context["results"]
    assert only_items["items"] and not only_items["tasks"]
    overdue = client.get(reverse("search"), {"q": "ho tich", "han": "qua-han"})
    assert overdue.context["results"]["tasks"] == [world.task] and not overdue.context["results"]["items"]
    assert "hạn 31/03/2020" in overdue.content.decode()
    assert client.get(reverse("search"), {"q": "ho tich", "trang-thai": "done"}).context["results"]["tasks"] == []
    assert client.get(reverse("search"), {"q": "ho tich", "han": "30-ngay"}).context["results"]["tasks"] == []


def test_filters_never_fill_the_navbar_search_box(client, world):
    """The navbar's search box shows the search typed on the search page only, never a page's
    filter parameters (its value is the template's `query`)."""
    client.force_login(world.coordinator)
    for url in (reverse("plans:detail", args=[world.plan.public_id]) + "?han=qua-han",
                reverse("accounts:users") + "?vai-tro=officer"):
        body = client.get(url).content.decode()
        box = body.split('type="search" name="q"')[1].split(">")[0]
        assert 'value=""' in box, (url, box)
