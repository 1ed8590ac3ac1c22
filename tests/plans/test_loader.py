"""chiso load-plan: every row of each golden file becomes a plan item, once."""
import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chiso.common.errors import ServiceError
from chiso.plans.loader import plan_load
from chiso.plans.models import Assignment, ItemValue, MatchStatus, Plan, PlanItem, Task
from chiso.scores.models import Score
from chiso.units.models import Unit

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reader"
FILES = sorted(GOLDEN.glob("*.json"))


def golden(name):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def counts():
    return (Plan.objects.count(), PlanItem.objects.count(), Task.objects.count(), Assignment.objects.count(),
            Unit.objects.count(), ItemValue.objects.count(), Score.objects.count())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_golden_row_is_loaded_and_twice_changes_nothing(path, demo_reference, capsys):
    doc = json.loads(path.read_text(encoding="utf-8"))
    call_command("load-plan".replace("-", "_"), str(path))
    out = capsys.readouterr().out.strip().splitlines()
    n_rows = sum(len(t["rows"]) for t in doc["tables"])
    assert out[-1].startswith(f"items={n_rows} ")
    plan = Plan.objects.get()
    assert PlanItem.objects.filter(table__plan=plan).count() == n_rows
    n_values = sum(len(r["values"]) for t in doc["tables"] for r in t["rows"])
    assert ItemValue.objects.count() == n_values
    before = counts()
    call_command("load_plan", str(path))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "items=0 tasks=0 assignments=0 units_created=0"
    assert counts() == before


def test_daknong_plan_values_tasks_and_agencies(demo_reference):
    report = plan_load(actor=None, document=golden("002_612d7236c16ec5ba.json"))
    plan = report.plan
    assert plan.number == "475/KH-UBND" and plan.date.isoformat() == "2024-07-18"
    assert (plan.first_year, plan.last_year) == (2024, 2024)
    assert plan.issuer.name == "Đắk Nông"
    item = PlanItem.objects.get(table__plan=plan, table__index="PAR_INDEX", code="1.3.1")
    assert item.criterion is not None and item.match_status == MatchStatus.MATCHED
    assert (item.max_points, item.baseline, item.baseline_year) == (1, 1, "2023")
    task = item.tasks.get()
    leads = [a.unit.name for a in task.assignments.filter(role="lead")]
    assert leads == ["Sở Nội vụ", "Sở Kế hoạch và Đầu tư"]  # "Giám đốc các Sở: Nội vụ, Kế hoạch và Đầu tư"
    groups = list(task.assignments.filter(role="coordinating", unit__isnull=True).values_list("group", flat=True))
    assert groups and all(groups)  # "Các sở, ban, ngành; UBND cấp huyện; ..." stay groups
    assert report.tasks == 87 + 16
    # achieved 2023 values of matched criteria became Đắk Nông's 2023 scores
    assert Score.objects.filter(assessment__unit=plan.issuer, assessment__year=2023).exists()


def test_rounding_gap_is_a_warning(demo_reference):
    report = plan_load(actor=None, document=golden("002_612d7236c16ec5ba.json"))
    assert any("12,905" in w and "12,9045" in w for w in report.warnings)


def test_name_mismatch_is_reported_not_ignored(demo_reference):
    report = plan_load(actor=None, document=golden("000_c15530573d130bd3.json"))
    assert report.mismatches
    assert any(m.startswith("PAR INDEX 1.3:") for m in report.mismatches)
    assert PlanItem.objects.get(table__plan=report.plan, table__index="PAR_INDEX", code="1.3").criterion is None


def test_dry_run_leaves_nothing(demo_reference):
    before = counts()
    report = plan_load(actor=None, document=golden("003_5869b5a3940833bd.json"), dry_run=True)
    assert report.items == 99 and report.dry_run
    assert counts() == before


def test_a_bad_row_leaves_nothing_and_names_the_row(demo_reference):
    doc = copy.deepcopy(golden("002_612d7236c16ec5ba.json"))
    doc["tables"][0]["rows"][5]["values"][0]["value"] = "chín"
    before = counts()
    with pytest.raises(ServiceError) as exc:
        plan_load(actor=None, document=doc)
    assert any("rows[5]" in d and "chín" in d for d in exc.value.details)
    assert counts() == before


def test_a_failure_midway_rolls_everything_back(demo_reference, monkeypatch):
    from chiso.plans import loader

    calls = {"n": 0}
    original = loader.PlanLoader.load_task

    def failing(self, item, text):
        calls["n"] += 1
        if calls["n"] == 40:
            raise RuntimeError("disk full")
        return original(self, item, text)

    monkeypatch.setattr(loader.PlanLoader, "load_task", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        plan_load(actor=None, document=golden("002_612d7236c16ec5ba.json"))
    assert counts() == before


def test_load_plan_command_reports_bad_json_with_line(tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "chiso.plan-table/1",\n "tables": [}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.json, dòng 2"):
        call_command("load_plan", str(bad))


def test_unknown_agency_becomes_an_unverified_unit_and_is_listed(demo_reference):
    doc = copy.deepcopy(golden("002_612d7236c16ec5ba.json"))
    row = next(r for r in doc["tables"][0]["rows"] if r["code"] == "1.1")
    row["text"]["lead"] = "Giám đốc Trung tâm Lưu trữ lịch sử tỉnh"
    report = plan_load(actor=None, document=doc)
    assert "Trung tâm Lưu trữ lịch sử tỉnh" in report.units_created
    unit = Unit.objects.get(name="Trung tâm Lưu trữ lịch sử tỉnh")
    assert not unit.verified and unit.parent == report.plan.issuer
    assert report.summary().endswith(f"units_created={len(report.units_created)}")


def test_a_plan_dated_by_month_finds_the_department_created_that_year(demo_reference):
    """Đắk Lắk's 2025 plan is dated "2025-09": Sở Nông nghiệp và Môi trường (from 1/3/2025)
    is the reference unit, not a new unverified one."""
    from chiso.units.reference import province

    daklak = province("Đắk Lắk")
    document = {
        "schema": "chiso.plan-table/1",
        "document": {"issuer": "UBND tỉnh Đắk Lắk", "number": None, "date": "2025-09",
                     "title": "Kế hoạch nâng cao chỉ số năm 2025"},
        "tables": [{"index": "PAR_INDEX", "caption": "I. CHỈ SỐ PAR INDEX", "columns": [], "rows": [
            {"code": "1", "name": "Công tác chỉ đạo, điều hành CCHC", "values": [],
             "text": {"tasks": "Theo dõi, đôn đốc", "lead": "Sở Nông nghiệp và Môi trường"}},
        ]}],
    }
    report = plan_load(actor=None, document=document)
    assert report.units_created == []
    lead = Assignment.objects.get(task__item__table__plan=report.plan)
    assert lead.unit == daklak.children.get(name="Sở Nông nghiệp và Môi trường", valid_from__isnull=False)


def test_a_roman_numbered_partial_table_of_a_province_seen_first(frameworks):
    """Hà Giang's deductions appendix: fields I, II, VIII with criteria numbered 1, 2 under each,
    listing only the criteria that lost points. Rows find their criteria (by number, else by name
    within the field), the printed numbers stay visible, a partial listing is one note rather
    than a misprint per column, and the province's standard departments come from the roster."""
    from chiso.reader import read_document
    from chiso.units.models import UnitKind

    Unit.objects.create(name="Hà Giang", kind=UnitKind.PROVINCE, verified=True)
    document = read_document(FIXTURES / "synthetic" / "roman_fields_partial.txt")
    report = plan_load(actor=None, document=document)
    items = {i.display_code + " " + i.name[:20]: i for i in PlanItem.objects.filter(table__plan=report.plan)}
    tuyen_truyen = next(i for i in items.values() if i.name == "Công tác tuyên truyền CCHC")
    assert (tuyen_truyen.printed_code, tuyen_truyen.code, tuyen_truyen.criterion.code) == ("2", "1.4", "1.4")
    viii = next(i for i in items.values() if i.printed_code == "VIII")
    assert viii.code == "8" and viii.criterion.code == "8" and viii.note == "Điều tra XHH"
    assert tuyen_truyen.parent.printed_code == "I"
    partial = [w for w in report.warnings if "một phần" in w]
    assert len(partial) == 3 and not [w for w in report.warnings if "cộng lại được" in w]
    assert report.units_created == [] and report.reference_units > 30
    lead = Assignment.objects.get(task__item=tuyen_truyen, role="lead")
    assert lead.unit.name == "Sở Thông tin và Truyền thông" and lead.unit.verified and lead.unit.parent.name == "Hà Giang"


def test_roles_written_inside_one_agency_column(frameworks):
    """Bắc Giang's SIPAS plan has one "Đơn vị thực hiện" column whose cells say who leads and
    who coordinates ("Chủ trì: …; Phối hợp: …", "Sở Nội vụ chủ trì, phối hợp với …")."""
    from chiso.reader import read_document
    from chiso.units.models import UnitKind

    Unit.objects.create(name="Bắc Giang", kind=UnitKind.PROVINCE, verified=True)
    report = plan_load(actor=None, document=read_document(FIXTURES / "synthetic" / "sipas_roles_in_cells.txt"))
    got = [(a.task.item.code, a.role, a.unit.name if a.unit else a.group)
           for a in Assignment.objects.filter(task__item__table__plan=report.plan)
           .select_related("unit", "task__item").order_by("task__item__position", "position")]
    assert got == [("1", "lead", "Văn phòng UBND tỉnh"), ("1", "coordinating", "departments"),
                   ("2", "lead", "Sở Tư pháp"), ("2", "coordinating", "departments"),
                   ("3", "lead", "Sở Nội vụ"), ("3", "coordinating", "district_committees"),
                   ("4", "implementing", "all_agencies"), ("5", "implementing", "Văn phòng UBND tỉnh")]
    assert report.units_created == []


@pytest.mark.parametrize("name,kind", [("Bộ Nội vụ", "ministry"), ("Bộ phận Một cửa", "other"),
                                       ("Bộ Chỉ huy Quân sự tỉnh", "other"), ("Sở Nội vụ", "department")])
def test_guess_kind(name, kind):
    from chiso.units.services import guess_kind

    assert guess_kind(name) == kind


def test_self_assessed_beside_appraised_is_not_the_baseline(frameworks):
    """A results table printing the self-assessment after the appraised score: the appraised one
    is the baseline and the score; the other is the self-assessment."""
    document = {
        "schema": "chiso.plan-table/1",
        "document": {"issuer": "UBND tỉnh Kon Tum", "number": None, "date": "2024-04", "title": "Kế hoạch năm 2024"},
        "tables": [{"index": "PAR_INDEX", "caption": "", "columns": [
            {"key": "max_points"}, {"key": "appraised", "year": "2023"}, {"key": "achieved", "year": "2023"}],
            "rows": [{"code": "1.1", "name": "Thực hiện kế hoạch CCHC", "values": [
                {"key": "max_points", "value": 1.5}, {"key": "appraised", "year": "2023", "value": 1},
                {"key": "achieved", "year": "2023", "value": 1.5}], "text": {"tasks": "Đôn đốc"}}]}],
    }
    report = plan_load(actor=None, document=document)
    item = PlanItem.objects.get(table__plan=report.plan, code="1.1")
    assert item.baseline == 1
    score = Score.objects.get(criterion__code="1.1", assessment__unit=report.plan.issuer, assessment__year=2023)
    assert (score.score, score.self_score) == (1, Decimal("1.5"))
