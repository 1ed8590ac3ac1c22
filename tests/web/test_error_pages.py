"""403, 404 and 500 answer in Vietnamese inside the layout, with a way back and what to do."""
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from chiso.scores.models import PublishedResult
from tests.factories import ProvinceFactory


def test_unknown_url_is_a_vietnamese_404_inside_the_layout(client, world):
    client.force_login(world.own)
    response = client.get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body and "Về trang chủ" in body
    assert "navbar" in body and "Đăng xuất" in body  # the menu is there
    assert "Not Found" not in body


def test_anonymous_404_has_the_layout_too(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_forbidden_write_is_a_vietnamese_403_naming_the_role(client, world):
    client.force_login(world.coordinator)
    from chiso.progress.models import ReportingPeriod
    import datetime as dt
    period = ReportingPeriod.objects.create(plan=world.plan, name="Quý I/2026", start=dt.date(2026, 1, 1),
                                            end=dt.date(2026, 3, 31), due_date=dt.date(2026, 3, 15))
    response = client.get(reverse("progress:report_edit", args=[period.public_id, world.task.public_id]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "không có quyền" in body and "Điều phối (Sở Nội vụ)" in body and "Về trang chủ" in body
    assert "Forbidden" not in body


def test_500_page_renders_without_the_database(django_assert_num_queries, db):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in body and "Về trang chủ" in body


def test_csrf_failure_is_vietnamese(client, world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.own)
    response = strict.post(reverse("logout"))
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in response.content.decode()


def test_ranking_links_only_the_provinces_the_user_may_open(client, world):
    outside = ProvinceFactory(name="Tỉnh ngoài")
    PublishedResult.objects.create(index="PAR_INDEX", year=2023, unit=world.province, unit_name="Tỉnh A",
                                   total="90.1", rank=1)
    PublishedResult.objects.create(index="PAR_INDEX", year=2023, unit=outside, unit_name="Tỉnh ngoài",
                                   total="85.2", rank=2, note="doanhnghiephoinhap.vn gives 91.81 (+1.72)")
    client.force_login(world.coordinator)
    body = client.get(reverse("analysis:ranking", args=["PAR_INDEX", 2023])).content.decode()
    assert reverse("analysis:unit", args=[world.province.public_id]) in body
    assert reverse("analysis:unit", args=[outside.public_id]) not in body and "Tỉnh ngoài" in body
    assert "doanhnghiephoinhap" not in body


def test_login_page_lists_the_demo_logins_only_in_the_local_demo(client, db, settings):
    from chiso.accounts.models import Role
    from tests.factories import UserFactory

    UserFactory(username="snv.daklak", role=Role.COORDINATOR, full_name="Nguyễn Văn An")
    UserFactory(username="canbo.snv.daklak", role=Role.OFFICER)
    settings.LOCAL_DEMO = True
    body = client.get(reverse("login")).content.decode()
    assert 'data-testid="demo-logins"' in body and "snv.daklak" in body and "canbo.snv.daklak" in body
    settings.LOCAL_DEMO = False
    assert 'data-testid="demo-logins"' not in client.get(reverse("login")).content.decode()
