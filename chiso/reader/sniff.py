"""Format detection from content (magic bytes), the extension only as a hint."""
from __future__ import annotations

import zipfile
from io import BytesIO

IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, name: str = "") -> str:
    """One of: pdf, docx, xlsx, ods, xls, ole, html, image, zip, text, binary, empty."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"RIFF") and data[8:12] != b"WEBP":
        return "binary"
    if head.startswith(IMAGE_MAGIC) or data[4:12] in (b"ftypheic", b"ftypavif") or data[8:12] == b"WEBP":
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower()
    try:
        probe = data[:4096].decode("utf-8", errors="ignore").lower()
    except Exception:  # pragma: no cover
        probe = ""
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low or ("<table" in probe and "</t" in probe):
        return "html"
    return "text"
