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
