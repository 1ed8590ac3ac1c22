"""Cached page fragments (chiso.common.fragments): any write shows at once, whoever or whatever
makes it; a reader never gets a fragment made for another reader's permissions."""
import pytest
from django.db import connection, transaction
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.common import fragments
from chiso.common.fragments import read_tables, written_tables
from chiso.common.models import Generation
from chiso.plans.models import Task
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory, UserFactory

LINK = "Tiến độ, báo cáo »"


def plan_page(client, world, user) -> str:
    client.force_login(user)
    response = client.get(reverse("plans:detail", args=[world.plan.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_statements_that_write():
    assert written_tables('INSERT INTO "plans_task" ("text") VALUES (%s)') == ("plans_task",)
    assert written_tables('UPDATE "units_unit" SET "name" = %s WHERE "units_unit"."id" = %s') == ("units_unit",)
    assert written_tables('  delete from scores_score where id = 1') == ("scores_score",)
    assert written_tables('TRUNCATE "plans_task", "plans_plan" RESTART IDENTITY;') == ("plans_task", "plans_plan")
    assert written_tables('SELECT "plans_task"."id" FROM "plans_task"') == ()
    # writes that nothing kept shows do not invalidate anything
    assert written_tables('UPDATE "django_session" SET "session_data" = %s') == ()
    assert written_tables('INSERT INTO "progress_reminderlog" ("key") VALUES (%s)') == ()
    # every page shows the unread notifications badge (chiso.common.pages keeps whole pages)
    assert written_tables('INSERT INTO "progress_notification" ("text") VALUES (%s)') == ("progress_notification",)
    assert written_tables('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s') == ()
    assert written_tables('UPDATE "accounts_user" SET "last_login" = %s, "unit_id" = %s WHERE "accounts_user"."id" = %s')


def test_statements_that_read():
    sql = ('SELECT "plans_task"."id", "units_unit"."name" FROM "plans_task" INNER JOIN "plans_assignment" ON (1) '
           'LEFT OUTER JOIN "units_unit" ON (2) WHERE "plans_task"."item_id" IN (SELECT U0."id" FROM "plans_planitem" U0)')
    assert read_tables(sql) == {"plans_task", "plans_assignment", "units_unit", "plans_planitem"}
    assert read_tables("select count(*) from plans_task t, units_unit u") == {"plans_task", "units_unit"}
    assert read_tables('SELECT "django_session"."session_data" FROM "django_session"') == set()
    assert read_tables('UPDATE "plans_task" SET "text" = %s') == set()


def shared(table: str) -> int:
    return Generation.objects.filter(name=table).values_list("value", flat=True).first() or 0


def test_write_behind_the_orms_back_shows_at_once(client, world):
    assert world.task.text in plan_page(client, world, world.coordinator)
    Task.objects.filter(pk=world.task.pk).update(text="Nhiệm vụ sửa bằng update()")  # no signal, no save()
    assert "Nhiệm vụ sửa bằng update()" in plan_page(client, world, world.coordinator)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_task SET text = %s WHERE id = %s", ["Nhiệm vụ sửa bằng SQL", world.task.pk])
    assert "Nhiệm vụ sửa bằng SQL" in plan_page(client, world, world.coordinator)


def test_a_renamed_unit_shows_in_the_cached_tables(client, world):
    assert "Sở Tư pháp" in plan_page(client, world, world.coordinator)
    world.lead_unit.name = "Sở Tư pháp (tên mới)"
    world.lead_unit.save()
    assert "Sở Tư pháp (tên mới)" in plan_page(client, world, world.coordinator)


def test_task_links_follow_the_reader_not_the_cache(client, world):
    """The overseer warms the cache with every link; an officer of another agency of the same
    province reads the same tables without the link to a task their unit has no part in."""
    bystander = UserFactory(username="bystander", unit=UnitFactory(name="Sở Xây dựng", parent=world.province),
                            role=Role.OFFICER)
    assert plan_page(client, world, world.coordinator).count(LINK) == 1
    assert plan_page(client, world, bystander).count(LINK) == 0
    assert plan_page(client, world, world.own).count(LINK) == 1
    # a new task for the bystander's unit: their link appears, the lead unit's stays
    AssignmentFactory(task=TaskFactory(item=world.item, text="Nhiệm vụ của Sở Xây dựng"), unit=bystander.unit)
    assert plan_page(client, world, bystander).count(LINK) == 1
    assert plan_page(client, world, world.own).count(LINK) == 1
    assert plan_page(client, world, world.coordinator).count(LINK) == 2


def test_other_agency_of_another_province_still_gets_404(client, world):
    plan_page(client, world, world.coordinator)
    client.force_login(world.other)
    assert client.get(reverse("plans:detail", args=[world.plan.public_id])).status_code == 404


def test_a_commit_in_another_process_invalidates(client, world, monkeypatch):
    """Another process's write reaches this one only through the shared generation, bumped
    once its transaction commits."""
    plan_page(client, world, world.coordinator)
    local = fragments._local_counts.copy()
    Task.objects.filter(pk=world.task.pk).update(text="Sửa ở tiến trình khác")
    monkeypatch.setattr(fragments, "_local_counts", local)  # as if the write were made elsewhere
    assert "Sửa ở tiến trình khác" not in plan_page(client, world, world.coordinator)  # not committed yet
    fragments._bump(tables=["plans_task"])  # its commit
    assert "Sửa ở tiến trình khác" in plan_page(client, world, world.coordinator)


def pending_bumps() -> int:
    return sum(1 for _, func, _ in connection.run_on_commit if hasattr(func, "chiso_tables"))


def test_one_increment_per_transaction(world):
    """However many rows it writes, a transaction increments each table it wrote once, when it commits."""
    with transaction.atomic():
        for i in range(5):
            TaskFactory(item=world.item, text=f"Nhiệm vụ thêm {i}")
        Task.objects.filter(item=world.item).update(text="Cùng một giao dịch")
    assert pending_bumps() == 1
    pending = next(func.chiso_tables for _, func, _ in connection.run_on_commit if hasattr(func, "chiso_tables"))
    assert {"plans_task", "plans_historicaltask"} <= pending
    fragments._bump(tables=pending)
    before = shared("plans_task")
    fragments._bump(tables=pending)
    assert shared("plans_task") == before + 1


@pytest.mark.django_db(transaction=True)
def test_each_committed_write_increments_the_shared_generation(frameworks):
    UnitFactory(name="Sở thử tự động")  # autocommit: each statement counted as it commits
    before, plans = shared("units_unit"), shared("plans_plan")
    assert before > 0
    with transaction.atomic():
        UnitFactory(name="Sở thử một")
        UnitFactory(name="Sở thử hai")
        assert shared("units_unit") == before  # not before the commit
    assert shared("units_unit") == before + 1
    assert shared("plans_plan") == plans  # a table not written keeps its generation
    with pytest.raises(RuntimeError), transaction.atomic():
        UnitFactory(name="Sở thử hủy")
        raise RuntimeError
    assert shared("units_unit") == before + 1  # a rolled-back transaction changes nothing


def test_quiet_writes_keep_the_generation(client, world):
    client.force_login(world.coordinator)  # writes a session
    before = fragments._local_counts.copy()
    from chiso.progress.models import ReminderLog

    ReminderLog.objects.create(recipient=world.coordinator, kind="task_due", key="k", email="a@b.vn")
    assert fragments._local_counts == before


def test_plan_page_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(20):
        AssignmentFactory(task__item=world.item, unit=world.lead_unit)
    client.force_login(world.coordinator)
    url = reverse("plans:detail", args=[world.plan.public_id])
    with django_assert_max_num_queries(14):  # rendered: the tables, items, values, tasks, assignments
        assert client.get(url).status_code == 200
    # cached: session, user with unit, scope, plan, generation, editions, unread notices
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


def test_home_is_each_readers_own(client, world):
    """The home page (cached per user) lists the plans of the reader's scope only, and a new plan at once."""
    from tests.factories import PlanFactory

    other_plan = PlanFactory(issuer=world.other_province, title="Kế hoạch của tỉnh B")
    for _ in range(2):  # the second time from the cache
        for user, sees, hidden in ((world.coordinator, world.plan.title, other_plan.title),
                                   (world.other, other_plan.title, world.plan.title)):
            client.force_login(user)
            body = client.get(reverse("home")).content.decode()
            assert sees in body and hidden not in body
    PlanFactory(issuer=world.province, title="Kế hoạch mới của tỉnh A")
    client.force_login(world.coordinator)
    assert "Kế hoạch mới của tỉnh A" in client.get(reverse("home")).content.decode()


def test_dashboard_fragment_follows_writes(client, world):
    from chiso.plans.models import TaskStatus

    client.force_login(world.coordinator)
    url = reverse("progress:plan_dashboard", args=[world.plan.public_id])
    done = 'trang-thai=done" title="Danh sách các nhiệm vụ này">{}</a>'
    assert done.format(0) in client.get(url).content.decode()
    Task.objects.filter(pk=world.task.pk).update(status=TaskStatus.DONE)
    assert done.format(1) in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_rows_created_outside_a_transaction_are_kept():
    """Autocommit (no transaction around the write, as in a transactional test or a plain
    script): the created rows stay. On SQLite, bumping the generation between an INSERT …
    RETURNING and the fetch of its row rolled the INSERT back, and every such row was lost."""
    from chiso.units.models import Unit

    province = Unit.objects.create(name="Tỉnh tự động", kind="province")
    before = shared("units_unit")
    district = Unit.objects.create(name="Huyện tự động", kind="district", parent=province)
    assert set(Unit.objects.values_list("pk", flat=True)) >= {province.pk, district.pk}
    assert Unit.objects.get(pk=district.pk).parent_id == province.pk
    assert shared("units_unit") > before


@pytest.mark.django_db(transaction=True)
def test_an_autocommit_write_is_counted_before_and_after_it():
    """Before: this process's next read misses. After (at the connection's next statement, or at
    the end of the request): a page that another process rendered from the data as it was just
    before the write, under the first increment, is not served on."""
    from django.core.signals import request_finished

    from chiso.common.fragments import WriteWatcher
    from chiso.units.models import Unit

    watcher = next(w for w in connection.execute_wrappers if isinstance(w, WriteWatcher))
    before = shared("units_unit")
    Unit.objects.create(name="Tỉnh tự động", kind="province")  # a few writes (the unit, its history)
    assert "units_unit" in watcher.pending
    first = shared("units_unit")  # this read settles the increment owed first
    assert first >= before + 2 and not watcher.pending
    assert shared("units_unit") == first  # owed once only

    Unit.objects.create(name="Tỉnh thứ hai", kind="province")
    assert watcher.pending
    request_finished.send(sender=None)
    settled = shared("units_unit")
    assert not watcher.pending and settled >= first + 2 and shared("units_unit") == settled


def test_another_processs_entry_is_judged_by_the_shared_generations(world):
    """In a shared cache (Redis) an entry rendered by another process carries that process's own
    counts: they do not matter here. The shared generations do, and so does a write of this
    request that is not committed yet."""
    fragments.start_request()
    try:
        label = ("elsewhere", (("plans_task", shared("plans_task"), 99),))
        assert fragments.still_valid(label)
        Task.objects.filter(pk=world.task.pk).update(text="Sửa trong yêu cầu này")
        assert not fragments.still_valid(label)
        fragments.start_request()  # the next request: that write's commit has bumped the table
        fragments._bump(tables=["plans_task"])
        assert not fragments.still_valid(label)
        assert fragments.still_valid(("elsewhere", (("plans_task", shared("plans_task"), 99),)))
    finally:
        fragments.end_request()


def test_a_new_generation_row_starts_anywhere(db):
    """A database restored or created anew does not repeat the generations that pages still kept
    in a shared cache (Redis) were labelled with."""
    starts = set()
    for _ in range(2):
        fragments._bump(tables=["plans_table_never_written"])
        starts.add(shared("plans_table_never_written"))
        Generation.objects.filter(name="plans_table_never_written").delete()
    assert len(starts) == 2 and 0 not in starts
