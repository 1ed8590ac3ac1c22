"""Bytes -> document model (per format) -> plan tables -> JSON dict."""
from __future__ import annotations

from typing import Callable

from . import checks, metadata
from .assemble import to_dict
from .errors import ReaderError
from .indexes import first_index, guess_from_rows
from .interpret import Interpreter
from .limits import check_zip
from .model import Document, Table
from .sniff import sniff

from chiso.core.plan_table import SCHEMA


def extract(data: bytes, name: str) -> Document:
    fmt = sniff(data, name)
    if fmt == "empty":
        raise ReaderError("empty", name)
    if fmt == "image":
        raise ReaderError("image", name)
    if fmt in ("docx", "xlsx", "ods"):
        check_zip(data, name)  # before any parser inflates it
    if fmt == "pdf":
        from .formats.pdf import read_pdf
        return read_pdf(data, name)
    if fmt == "docx":
        from .formats.docx import read_docx
        return read_docx(data, name)
    if fmt in ("xlsx", "ods"):
        from .formats.sheets import read_sheets
        return read_sheets(data, name, fmt)
    if fmt == "ole":
        from .formats.sheets import read_ole
        return read_ole(data, name)
    if fmt == "zip":
        raise ReaderError("corrupt", name, "tệp nén (zip) bị hỏng hoặc không phải tài liệu Word/Excel")
    if fmt == "rtf":
        raise ReaderError("not_a_document", name, "tệp RTF chưa được hỗ trợ; hãy lưu lại dưới dạng .docx")
    if fmt == "html":
        from .formats.html import read_html
        return read_html(data, name)
    from .formats.text import decode, read_text
    return read_text(decode(data, name), name)


def run(data: bytes, name: str, progress: Callable[[float, str], None]) -> dict:
    progress(0.05, "Đang nhận dạng định dạng tệp")
    doc = extract(data, name)
    progress(0.5, "Đang phân tích bảng")
    if not any(isinstance(b, Table) for b in doc.blocks):
        raise ReaderError("no_table", name)
    interp = Interpreter(doc)
    tables = interp.run()
    if not tables:
        places = ", ".join(dict.fromkeys(w for w in interp.seen if w))
        detail = ("không tìm thấy bảng chỉ số: không bảng nào có cột tiêu chí, điểm hay nhiệm vụ nhận biết được"
                  + (f" (đã xem {len(interp.seen)} bảng: {places[:120]})" if places else ""))
        raise ReaderError("no_index_table", name, detail)
    progress(0.8, "Đang đọc thông tin văn bản")
    meta = metadata.extract(doc)
    warnings = list(doc.warnings) + interp.warnings
    out_tables = []
    for t in tables:
        if t.index is None and t.layout.kind == "unit_results":
            t.index = first_index(f"{t.caption} {meta.get('title') or ''}") or "PAR_INDEX"
        if t.index is None:
            name_col = t.layout.col("name")
            rows = [(r.code, r.cells.get(name_col.index, "")) for r in t.rows] if name_col else []
            t.index = guess_from_rows(rows) or first_index(meta.get("title") or "") or "PAR_INDEX"
        d = to_dict(t, meta.get("title") or "", warnings)
        warnings.extend(checks.unit_arithmetic(d) if d.get("kind") == "unit_results" else checks.arithmetic(d))
        out_tables.append(d)
    progress(1.0, f"Đã đọc {sum(len(t['rows']) for t in out_tables)} dòng trong {len(out_tables)} bảng")
    return {
        "schema": SCHEMA,
        "source": name,
        "document": meta,
        "tables": out_tables,
        "warnings": warnings,
    }
