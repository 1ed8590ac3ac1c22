#!/usr/bin/env python3
"""Generate the reader's variant corpus: each layout class of issue 10, in text, Word, PDF
(LibreOffice, ruled and borderless) and Excel, with one golden reading per document.

    python scripts/make_variants.py [OUT_DIR]      # default tests/fixtures/reader/variants

Needs python-docx, openpyxl and LibreOffice (`soffice`) for the PDFs; the generated files are
committed, so the test suite needs none of this. Output, per class folder:
    <doc>.golden.json  <doc>.txt  <doc>.docx  <doc>.xlsx  <doc>.ruled.pdf  <doc>.borderless.pdf
Everything is deterministic: the same script writes the same documents (PDF metadata aside).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.variants import catalog as C  # noqa: E402
from scripts.variants import catalog_wide as W  # noqa: E402
from scripts.variants.render_office import make_docx, make_xlsx  # noqa: E402
from scripts.variants.render_text import render  # noqa: E402

# class -> documents; each document names its text layout and the features it prints
CLASSES = {
    # 1. one cell per line, each line starting with a tab, a blank line between rows
    "onecell_tab": [
        lambda: C.seed002("seed002_tab", text_layout="onecell_tab"),
        lambda: C.par_plan("par_plan_tab_omit", 101, text_layout="onecell_tab_omit"),
        lambda: C.seed003("seed003_tab", text_layout="onecell_tab"),
        lambda: C.appraisal("appraisal_tab", 102, text_layout="onecell_tab"),
        lambda: C.units_districts("ranking_tab", 103, text_layout="onecell_tab"),
        lambda: C.units_departments("departments_tab_omit", 104, text_layout="onecell_tab_omit"),
    ],
    # 1'. one cell per line without tabs (blank line between cells, or none at all)
    "onecell_plain": [
        lambda: C.seed000("seed000_blank", text_layout="onecell_blank"),
        lambda: C.appraisal("appraisal_lines", 111, text_layout="onecell_lines"),
        lambda: C.sipas_papi("sipas_papi_blank", 112, text_layout="onecell_blank"),
        lambda: C.par_plan("par_plan_lines", 113, text_layout="onecell_lines", depth=2),
    ],
    # 2. a lone "Thực hiện" column: action sentences, or lists of agencies
    "lone_thuc_hien": [
        lambda: C.lone_column("lone_tasks", 121, mode="tasks", label="Thực hiện"),
        lambda: C.lone_column("lone_agencies", 122, mode="agencies", label="Tổ chức thực hiện"),
        lambda: C.seed003("seed003_lone", lone="Tổ chức thực hiện", text_layout="onecell_tab"),
        lambda: C.lone_column("lone_tasks_values", 123, mode="tasks", label="Tổ chức thực hiện",
                              values=("max_points", "achieved", "target"), text_layout="onecell_blank"),
        lambda: C.lone_column("lone_agencies_values", 124, mode="agencies", label="Thực hiện",
                              values=("max_points", "target")),
    ],
    # 3. page-break fragments and tails spilled onto the next numbered row
    "page_fragments": [
        lambda: C.seed000("seed000_fragments", features={"fragments", "spill"}),
        lambda: C.par_plan("par_plan_fragments", 131, features={"fragments"}),
        lambda: C.sipas_papi("sipas_papi_fragments", 132, features={"fragments", "spill"}),
        lambda: C.seed002("seed002_fragments", features={"fragments"}),
        lambda: C.par_plan("par_plan_fragments_spill", 133, features={"fragments", "spill"}, text_layout="onecell_tab"),
    ],
    # 4. PDF: repeated headers mid-page, narrow number columns, vertically centred cells, heading table
    "pdf_quirks": [
        lambda: C.par_plan("par_plan_quirks", 141, features={"repeat_header", "midpage", "narrow", "vcenter", "head_table"}),
        lambda: C.appraisal("appraisal_quirks", 142, features={"narrow", "vcenter", "head_table"}),
        lambda: C.seed003("seed003_quirks", features={"repeat_header", "midpage", "vcenter"}),
        lambda: C.par_plan("par_plan_quirks_4", 143, features={"repeat_header", "midpage", "narrow", "head_table"},
                           values=("max_points", "achieved", "target"), depth=4),
    ],
    # 5. the plan's body first; its number and date only in the appendix's "kèm theo" line
    "appendix_ref": [
        lambda: C.par_plan("par_plan_ref", 151, body=160, ref_only=True),
        lambda: C.par_plan("par_plan_ref_head", 152, body=220, ref_only=True, features={"head_table"}),
        lambda: C.par_plan("par_plan_ref_onecell", 153, body=140, ref_only=True, text_layout="onecell_tab"),
    ],
    # 6. a sheet with the plan's text above its table
    "sheet_preamble": [
        lambda: C.par_plan("par_plan_preamble", 161, body=60, features={"sheet_preamble"}),
        lambda: C.appraisal("appraisal_preamble", 162, features={"sheet_preamble"}),
        lambda: C.par_plan("par_plan_preamble_long", 163, body=140, features={"sheet_preamble", "one_sheet"}),
        lambda: W.varied_plan("varied_preamble_400", 164, body_lines=400, features={"sheet_preamble", "one_sheet"}),
    ],
    # 7. ranges in target columns
    "ranges": [
        lambda: C.sipas_papi("sipas_papi_ranges", 171, with_values=True, ranges=True),
        lambda: C.par_plan("par_plan_ranges", 172, ranges=True, depth=2),
    ],
    # 8. results where rows are units
    "unit_results": [
        lambda: C.units_departments("departments", 181),
        lambda: C.units_districts("districts_rank_first", 182, text_layout="onecell_tab"),
        lambda: C.units_communes("communes_by_field", 183),
        lambda: C.units_provinces("provinces_by_field", 184, text_layout="onecell_blank"),
        lambda: C.units_districts("districts_rank_first_tsv", 185),
    ],
    # other header wordings, column orders, labels over several columns (merged header cells)
    "headers_varied": [
        lambda: W.varied_plan("text_first", 201, order="text_first"),
        lambda: W.varied_plan("value_group", 202, value_group="Điểm số", role_group="Phân công thực hiện",
                              numbering=True, comma=False, code_style="dotted"),
        lambda: W.varied_plan("year_group", 203, order="middle", year_group=True, deliverable=True,
                              text_layout="onecell_tab"),
        lambda: W.varied_plan("deliverable_blank", 204, deliverable=True, role_group="Đơn vị thực hiện",
                              text_layout="onecell_blank"),
        lambda: W.varied_sipas_papi("sipas_papi_two", 205),
        lambda: W.varied_sipas_papi("sipas_papi_two_tab", 206, text_layout="onecell_tab_omit"),
        lambda: W.varied_plan("text_first_lines", 207, order="text_first", text_layout="onecell_lines"),
        lambda: W.varied_plan("value_group_omit", 208, value_group="Điểm", numbering=True,
                              text_layout="onecell_tab_omit"),
    ],
    # units as rows: "Thứ hạng" first, groups over the points, the national published tables
    "unit_ranking": [
        lambda: W.communes_ranked("communes_thu_hang", 211),
        lambda: W.communes_ranked("communes_thu_hang_tab", 212, text_layout="onecell_tab"),
        lambda: W.districts_grouped("districts_grouped", 213),
        lambda: W.national_published("par_2023_provinces", 214, index="par", year="2023"),
        lambda: W.national_published("sipas_2023_rank_first", 215, index="sipas", year="2023", rank_first=True,
                                     text_layout="onecell_blank"),
        lambda: W.national_published("papi_2024_provinces", 216, index="papi", year="2024", text_layout="onecell_tab"),
        lambda: W.districts_grouped("districts_grouped_lines", 217, text_layout="onecell_lines"),
        lambda: W.communes_ranked("communes_xep_hang_omit", 218, rank_label="Xếp hạng", text_layout="onecell_tab_omit"),
    ],
    # the document's date in other forms; the number and date only in the appendix's reference
    "dates": [
        lambda: W.dated("date_zeros_head", 221, form="date_zeros", features={"head_table"}),
        lambda: W.dated("date_spaced", 222, form="date_spaced"),
        lambda: W.dated("ref_long", 223, form="ref_long"),
        lambda: W.dated("ref_dotted", 224, form="ref_dotted", features={"head_table"}),
    ],
    # rows whose cells are long enough for the PDF to break them across pages
    "split_rows": [
        lambda: W.long_rows("long_rows", 231),
        lambda: W.long_rows("long_rows_vcenter", 232, features={"vcenter", "head_table"}),
        lambda: W.long_rows("long_rows_tab", 233, text_layout="onecell_tab"),
    ],
}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def build(out: Path, only: set[str] | None = None) -> None:
    office = _soffice()
    if office is None:
        print("LibreOffice (soffice) not found: the PDFs are not generated", file=sys.stderr)
    for cls, makers in CLASSES.items():
        if only and cls not in only:
            continue
        folder = out / cls
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            tmpdir = Path(tmp)
            for make in makers:
                doc = make()
                (folder / f"{doc.name}.golden.json").write_text(
                    json.dumps(doc.golden(doc.name), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                (folder / f"{doc.name}.txt").write_text(render(doc), encoding="utf-8")
                make_docx(doc, folder / f"{doc.name}.docx", ruled=True)
                make_xlsx(doc, folder / f"{doc.name}.xlsx")
                make_docx(doc, tmpdir / f"{doc.name}.ruled.docx", ruled=True)
                make_docx(doc, tmpdir / f"{doc.name}.borderless.docx", ruled=False)
            if office:
                docs = sorted(str(p) for p in tmpdir.glob("*.docx"))
                subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmpdir), *docs],
                               check=True, capture_output=True, timeout=600)
                for pdf in tmpdir.glob("*.pdf"):
                    shutil.copyfile(pdf, folder / pdf.name)
        print(f"{cls}: {len(makers)} documents")


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--only=")]
    only = {x for a in argv[1:] if a.startswith("--only=") for x in a[7:].split(",")}
    out = Path(args[0]) if args else ROOT / "tests" / "fixtures" / "reader" / "variants"
    build(out, only or None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
