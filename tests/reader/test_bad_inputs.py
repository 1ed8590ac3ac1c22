"""Unreadable documents: one ReaderError with a stable code and a Vietnamese one-line message."""
import io
import zipfile

import pytest

from chiso.reader import ReaderError, read_bytes, read_document

from .helpers import FIXTURES, encrypted_pdf


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, format="PNG")
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format="PDF")
    return buf.getvalue()


def _docx_without_table() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH cải cách hành chính năm 2025")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _numbers_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for i in range(1, 20):
        wb.active.append([i, i * 2.5, i * 1000, "x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _corrupt_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    data = buf.getvalue()
    return data[: len(data) // 2]


CASES = {
    "empty": (b"", "empty"),
    "blank": (b"   \n\n\t ", "empty"),
    "junk": (bytes(range(256)) * 40, "not_a_document"),
    "image": (None, "image"),
    "docx_no_table": (None, "no_table"),
    "scanned_pdf": (None, "no_text_layer"),
    "encrypted_pdf": (None, "encrypted"),
    "numbers_xlsx": (None, "no_index_table"),
    "corrupt_zip": (None, "corrupt"),
    "plain_prose": ("Kính gửi các sở, ban, ngành.\nĐề nghị báo cáo trước ngày 15.\n".encode(), "no_table"),
    "legacy_doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 400, "not_a_document"),
}
BUILDERS = {"image": _png, "docx_no_table": _docx_without_table, "scanned_pdf": _scanned_pdf,
            "encrypted_pdf": encrypted_pdf, "numbers_xlsx": _numbers_xlsx, "corrupt_zip": _corrupt_zip}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_codes(case, tmp_path):
    data, code = CASES[case]
    if data is None:
        data = BUILDERS[case]()
    path = tmp_path / f"{case}.docx"  # a misleading extension: content decides
    path.write_bytes(data)
    with pytest.raises(ReaderError) as err:
        read_document(path)
    assert err.value.code == code
    message = str(err.value)
    assert "\n" not in message and f"{case}.docx" in message


def test_size_limit_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    monkeypatch.setenv("CHISO_MAX_UPLOAD_BYTES", "1000")
    with pytest.raises(ReaderError) as err:
        read_document(path)
    assert err.value.code == "too_large"
    assert "MB" in str(err.value)


def test_missing_file_is_a_reader_error(tmp_path):
    with pytest.raises(ReaderError):
        read_document(tmp_path / "khong-co.txt")


def test_progress_is_reported():
    calls = []
    read_document(FIXTURES / "003_5869b5a3940833bd.html", progress=lambda f, m: calls.append((f, m)))
    assert len(calls) >= 3 and calls[-1][0] == 1.0
    assert all(0 <= f <= 1 and isinstance(m, str) for f, m in calls)


def test_content_decides_the_format(tmp_path):
    src = FIXTURES / "003_5869b5a3940833bd.docx"
    renamed = tmp_path / "ke-hoach.pdf"
    renamed.write_bytes(src.read_bytes())
    assert len(read_document(renamed)["tables"][0]["rows"]) == 99


def test_read_bytes_matches_read_document():
    src = FIXTURES / "000_c15530573d130bd3.xlsx"
    assert read_bytes(src.read_bytes(), src.name) == read_document(src)


def test_text_encodings():
    from .helpers import SEEDS

    text = (SEEDS / "003_5869b5a3940833bd.txt").read_text(encoding="utf-8")
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le"):
        out = read_bytes(text.encode(encoding), "ke-hoach.txt")
        assert len(out["tables"][0]["rows"]) == 99, encoding
    crlf = read_bytes(text.replace("\n", "\r\n").encode("utf-8"), "ke-hoach.txt")
    assert len(crlf["tables"][0]["rows"]) == 99
