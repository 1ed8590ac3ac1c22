"""Writing a plan in chiso: the three starts, edits through services (actor, stale form, undo,
sums kept right), and the history of each change."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from chiso.common.errors import ConflictError, ServiceError
from chiso.plans import services
from chiso.plans.models import Assignment, ItemValue, PlanItem, PlanOrigin, PlanState, Task, TaskStatus
from chiso.scores.models import Score

D = Decimal


def target(item, year="2024"):
    value = ItemValue.objects.filter(item=item, key="target", year=year).first()
    return value.value if value else None


def rows(plan):
    return list(PlanItem.objects.filter(table__plan=plan).order_by("position"))


@pytest.fixture
def draft(daknong):
    return services.plan_start_from_results(actor=daknong.coordinator, assessment=daknong.results)


def test_from_results_lists_every_lost_criterion_largest_first_with_target_at_last_years_score(daknong, draft):
    assert draft.state == PlanState.DRAFT and draft.origin == PlanOrigin.RESULTS
    assert (draft.first_year, draft.last_year, draft.issuer) == (2024, 2024, daknong.issuer)
    assert draft.title.startswith("Kế hoạch nâng cao Chỉ số cải cách hành chính (PAR INDEX) năm 2024")
    assert draft.purpose and draft.organization
    items = rows(draft)
    scores = {s.criterion.code: s for s in Score.objects.filter(assessment=daknong.results).select_related("criterion")}
    fields = [i for i in items if i.level == 1]
    lost = [i.max_points - i.baseline for i in fields]
    assert lost == sorted(lost, reverse=True) and all(x > 0 for x in lost)
    assert fields[0].code == "8"  # Đắk Nông lost most in field 8 (the gap page's order too)
    for field in fields:
        children = [i for i in items if i.parent_id == field.pk]
        assert children, field.code
        child_lost = [c.max_points - c.baseline for c in children]
        assert child_lost == sorted(child_lost, reverse=True) and all(x > 0 for x in child_lost)
        for child in children:
            assert child.baseline == scores[child.code].score and target(child) == child.baseline
        # the field's target is what its listed criteria make: last year's score while nothing moves
        assert target(field) == field.baseline
    leaves = {i.code for i in items if i.level > 1}
    assert {"6.3.4", "3.4.1"} <= leaves
    assert all(i.baseline_year == "2023" for i in items)


def test_from_results_refuses_an_actor_of_another_province_and_an_officer(daknong):
    for actor in (daknong.stranger, daknong.officer):
        with pytest.raises(PermissionDenied):
            services.plan_start_from_results(actor=actor, assessment=daknong.results)


def test_a_criterion_target_is_bounded_and_its_field_follows(daknong, draft):
    items = rows(draft)
    leaf = next(i for i in items if i.code == "6.3.4")
    field = next(i for i in items if i.code == "6")
    before = target(field)
    with pytest.raises(ServiceError) as refused:
        services.item_update(actor=daknong.coordinator, item=leaf, version=leaf.version,
                             targets={"2024": leaf.max_points + 1})
    assert "lớn hơn điểm tối đa" in refused.value.details[0]
    assert target(leaf) == leaf.baseline
    services.item_update(actor=daknong.coordinator, item=leaf, version=leaf.version, targets={"2024": leaf.max_points})
    assert target(leaf) == leaf.max_points
    assert target(field) == before + (leaf.max_points - leaf.baseline)
    field.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        services.item_update(actor=daknong.coordinator, item=field, version=field.version, targets={"2024": D(1)})
    assert "tổng mục tiêu các mục con" in refused.value.details[0]


def test_a_stale_form_is_refused_naming_who_changed_it(daknong, draft):
    leaf = next(i for i in rows(draft) if i.code == "6.3.4")
    shown = leaf.version
    services.item_update(actor=daknong.coordinator, item=leaf, version=shown, reason="Chưa ban hành kế hoạch")
    with pytest.raises(ConflictError) as stale:
        services.item_update(actor=daknong.coordinator, item=leaf, version=shown, reason="Ghi đè")
    assert "Hoàng" not in stale.value.message and "vừa được" in stale.value.message
    leaf.refresh_from_db()
    assert leaf.reason == "Chưa ban hành kế hoạch"
    assert leaf.history.first().history_user == daknong.coordinator


def test_tasks_deadlines_in_words_agencies_and_groups(daknong, draft):
    leaf = next(i for i in rows(draft) if i.code == "6.3.4")
    task = services.task_add(actor=daknong.coordinator, item=leaf, text="Ban hành kế hoạch kiểm tra",
                             deliverable="Kế hoạch", deadline_text="trước ngày 30/6")
    assert (task.due_date, task.deadline_flagged) == (dt.date(2024, 6, 30), False)
    task = services.task_update(actor=daknong.coordinator, task=task, version=task.version, text=task.text,
                                deadline_text="khi nào xong thì thôi")
    assert task.deadline_flagged and task.due_date is None and task.deadline_text == "khi nào xong thì thôi"
    lead = services.assignment_add(actor=daknong.coordinator, task=task, version=task.version, role="lead",
                                   text="Sở Tư pháp")
    assert lead.unit == daknong.justice
    task.refresh_from_db()
    group = services.assignment_add(actor=daknong.coordinator, task=task, version=task.version,
                                    role="coordinating", text="Các sở, ban, ngành")
    assert group.unit is None and group.group and group.text == "Các sở, ban, ngành"
    task.refresh_from_db()
    with pytest.raises(ServiceError) as unknown:
        services.assignment_add(actor=daknong.coordinator, task=task, version=task.version, role="coordinating",
                                text="Sở Hư Cấu Không Có")
    assert "Không tìm thấy" in unknown.value.message
    with pytest.raises(ServiceError):
        services.assignment_add(actor=daknong.coordinator, task=task, version=task.version, role="lead",
                                unit=daknong.justice)
    with pytest.raises(ConflictError):
        services.assignment_add(actor=daknong.coordinator, task=task, version=task.version - 1, role="monitoring",
                                unit=daknong.home_affairs)
    assert [a.role for a in task.assignments.all()] == ["lead", "coordinating"]


def test_a_task_given_agencies_by_name_keeps_groups_and_refuses_an_unknown_name(daknong, draft):
    leaf = next(i for i in rows(draft) if i.code == "6.3.4")
    task = services.task_add(actor=daknong.coordinator, item=leaf, text="Rà soát", assignments=[
        services.AssignmentInput("lead", "Sở Tư pháp", unit=daknong.justice),
        services.AssignmentInput("coordinating", "Các sở, ban, ngành")])
    group = task.assignments.get(role="coordinating")
    assert group.unit is None and group.group and group.text == "Các sở, ban, ngành"
    count = Task.objects.filter(item=leaf).count()
    with pytest.raises(ServiceError) as refused:
        services.task_add(actor=daknong.coordinator, item=leaf, text="Rà soát",
                          assignments=[services.AssignmentInput("lead", "Sở Hư Cấu")])
    assert "Sở Hư Cấu" in refused.value.details[0] and Task.objects.filter(item=leaf).count() == count


def test_remove_and_undo_bring_back_rows_tasks_and_agencies(daknong, draft):
    items = rows(draft)
    field = next(i for i in items if i.code == "6")
    leaf = next(i for i in items if i.code == "6.3.4")
    task = services.task_add(actor=daknong.coordinator, item=leaf, text="Nhiệm vụ",
                             assignments=[services.AssignmentInput("lead", "Sở Tư pháp", unit=daknong.justice)])
    before_children = PlanItem.objects.filter(parent=field).count()
    token = services.item_remove(actor=daknong.coordinator, item=field, version=field.version)
    assert not PlanItem.objects.filter(pk__in=[field.pk, leaf.pk]).exists()
    assert not Task.objects.filter(pk=task.pk).exists() and not Assignment.objects.filter(task=task.pk).exists()
    assert Task.with_removed.get(pk=task.pk).removal == token
    restored = services.removal_undo(actor=daknong.coordinator, plan=draft, token=token)
    assert restored == before_children + 1 + 1 + 1
    assert PlanItem.objects.filter(parent=field).count() == before_children
    assert Task.objects.get(pk=task.pk).assignments.get().unit == daknong.justice
    assert [i.pk for i in rows(draft)] == [i.pk for i in items]
    with pytest.raises(ServiceError):
        services.removal_undo(actor=daknong.coordinator, plan=draft, token=token)


def test_reorder_rows_and_tasks(daknong, draft):
    items = rows(draft)
    fields = [i for i in items if i.level == 1]
    second = fields[1]
    services.item_move(actor=daknong.coordinator, item=second, version=second.version, direction=-1)
    after = rows(draft)
    assert [i.code for i in after if i.level == 1][:2] == [fields[1].code, fields[0].code]
    # each field still followed by its own criteria
    for i, item in enumerate(after):
        if item.level > 1:
            assert item.code.split(".")[0] == next(p for p in reversed(after[:i]) if p.level == 1).code
    leaf = next(i for i in after if i.level > 1)
    a = services.task_add(actor=daknong.coordinator, item=leaf, text="A")
    b = services.task_add(actor=daknong.coordinator, item=leaf, text="B")
    services.task_move(actor=daknong.coordinator, task=b, version=b.version, direction=-1)
    assert [t.text for t in Task.objects.filter(item=leaf).order_by("position")] == ["B", "A"]
    assert a.pk


def test_adding_a_criterion_brings_its_field_and_sits_in_code_order(daknong):
    blank = services.plan_start_blank(actor=daknong.coordinator, issuer=daknong.issuer, version=daknong.version,
                                      first_year=2024)
    assert blank.origin == PlanOrigin.BLANK and blank.results == daknong.results
    table = blank.tables.get()
    criterion = daknong.version.criteria.get(code="2.3")
    item = services.item_add(actor=daknong.coordinator, table=table, criterion=criterion)
    services.item_add(actor=daknong.coordinator, table=table, criterion=daknong.version.criteria.get(code="2.1"))
    services.item_add(actor=daknong.coordinator, table=table, criterion=daknong.version.criteria.get(code="1.1"))
    assert [i.code for i in rows(blank)] == ["1", "1.1", "2", "2.1", "2.3"]
    assert item.baseline == Score.objects.get(assessment=daknong.results, criterion=criterion).score
    with pytest.raises(ServiceError):
        services.item_add(actor=daknong.coordinator, table=table, criterion=criterion)


def test_from_last_years_plan_moves_years_and_marks_done_tasks_for_review(daknong):
    old = daknong.plan
    done = Task.objects.filter(item__table__plan=old).exclude(deadline_text="").first()
    done.status, done.deadline_text, done.due_date = TaskStatus.DONE, "Trước ngày 30/9/2024", dt.date(2024, 9, 30)
    done.save()
    copy = services.plan_start_from_plan(actor=daknong.coordinator, previous=old)
    assert (copy.first_year, copy.origin, copy.based_on) == (2025, PlanOrigin.PREVIOUS, old)
    assert "2025" in copy.title
    assert Task.objects.filter(item__table__plan=copy).count() == Task.objects.filter(item__table__plan=old).count()
    twin = Task.objects.get(copied_from=done)
    assert twin.review_note.startswith("Đã báo cáo hoàn thành")
    assert Task.objects.filter(item__table__plan=copy).exclude(review_note="").count() == 1
    assert (twin.deadline_text, twin.due_date) == ("Trước ngày 30/9/2025", dt.date(2025, 9, 30))
    assert {t.deadline_text for t in Task.objects.filter(item__table__plan=copy)} <= {"", "Thường xuyên", twin.deadline_text}
    assert set(copy.tables.get(position=0).columns[-1].values()) >= {"target", "2025"}
    services.task_keep(actor=daknong.coordinator, task=twin, version=twin.version)
    twin.refresh_from_db()
    assert twin.review_note == ""


def test_writes_on_a_submitted_or_issued_plan_are_refused(daknong, draft):
    leaf = next(i for i in rows(draft) if i.level > 1)
    draft = services.plan_submit(actor=daknong.coordinator, plan=draft, version=draft.version)
    with pytest.raises(ServiceError) as refused:
        services.task_add(actor=daknong.coordinator, item=leaf, text="Muộn")
    assert "trình lãnh đạo" in refused.value.message
    with pytest.raises(ServiceError):
        services.task_add(actor=daknong.coordinator, item=PlanItem.objects.filter(table__plan=daknong.plan).first(),
                          text="Vào kế hoạch đã ban hành")
