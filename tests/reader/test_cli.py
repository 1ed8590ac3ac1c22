"""`chiso ingest`: JSON or a readable summary on stdout, exit 2 with one line on stderr."""
import json

from chiso.reader import cli

from .helpers import SEEDS, SYNTHETIC


def test_json_output(capsysbinary):
    assert cli.main([str(SEEDS / "003_5869b5a3940833bd.txt"), "--format", "json"]) == 0
    out = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert out["schema"] == "chiso.plan-table/1" and out["source"] == "003_5869b5a3940833bd.txt"
    assert "warnings" in out


def test_table_output(capsysbinary):
    assert cli.main([str(SYNTHETIC / "appraisal_deductions.txt"), "--format", "table"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8")
    assert "Bảng 1: PAR_INDEX" in text and "«Điểm thẩm định»" in text and "Cảnh báo" in text


def test_unreadable_exits_2(tmp_path, capsys):
    p = tmp_path / "rong.txt"
    p.write_bytes(b"")
    assert cli.main([str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert "rong.txt" in err and "\n" not in err


def test_no_django_and_no_heavy_imports_for_text():
    import subprocess
    import sys

    code = ("import sys; from chiso.reader import read_document; read_document(sys.argv[1]); "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('django', 'openpyxl', 'pdfplumber', 'docx', 'python_calamine')]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS / "000_c15530573d130bd3.txt")], capture_output=True, text=True,
                         cwd=str(SEEDS.parents[2]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
