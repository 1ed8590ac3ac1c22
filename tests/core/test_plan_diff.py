"""What an amendment changed: rows, targets, tasks, deadlines, agencies — keyed by stable ids."""
from decimal import Decimal as D

from chiso.core.plan_diff import diff


def snapshot(tasks, targets="2", rows=None):
    items = rows if rows is not None else [{"id": "r1", "code": "2.1", "name": "Theo dõi thi hành pháp luật",
                                            "max": "3", "targets": {"2025": targets}, "tasks": tasks}]
    return {"title": "KH", "tables": [{"index": "PAR_INDEX", "items": items}]}


TASK = {"id": "t1", "text": "Kiểm tra", "deliverable": "Báo cáo", "deadline": "Quý II/2025", "due": "2025-06-30",
        "agencies": [{"role": "lead", "name": "Sở Tư pháp"}]}


def test_nothing_changed():
    assert diff(snapshot([TASK]), snapshot([TASK])).empty


def test_each_kind_of_change_is_reported_once():
    new_task = {**TASK, "text": "Kiểm tra việc thi hành", "deadline": "Quý III/2025", "due": "2025-09-30",
                "agencies": [{"role": "lead", "name": "Sở Tư pháp"}, {"role": "coordinating", "name": "Sở Nội vụ"}]}
    added = {"id": "t2", "text": "Tập huấn", "deliverable": "", "deadline": "", "due": None, "agencies": []}
    change = diff(snapshot([TASK]), snapshot([new_task, added], targets="3"))
    assert [(t.code, t.year, t.old, t.new) for t in change.targets] == [("2.1", "2025", D(2), D(3))]
    assert [(t.what, t.task_id) for t in change.tasks] == [("text", "t1"), ("added", "t2")]
    assert [(d.old, d.new, d.new_due) for d in change.deadlines] == [("Quý II/2025", "Quý III/2025", "2025-09-30")]
    assert [(a.role_label, a.added, a.removed) for a in change.agencies] == [("Phối hợp", ("Sở Nội vụ",), ())]
    assert change.count == 5


def test_rows_added_and_removed():
    other = {"id": "r2", "code": "2.2", "name": "Kiểm tra văn bản", "max": "2", "targets": {}, "tasks": [TASK]}
    change = diff(snapshot([]), snapshot(None, rows=[other]))
    assert [(r.code, r.what) for r in change.rows] == [("2.2", "added"), ("2.1", "removed")]
    assert [(t.what, t.task_id) for t in change.tasks] == [("added", "t1")]
