"""Which evidence files chiso accepts: by extension, checked against the file's first bytes. Pure Python."""
from __future__ import annotations

import hashlib
from typing import IO, Iterable

from chiso.core.numbers import format_decimal

# extension → (content type, accepted signatures; empty means any)
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "doc": ("application/msword", (OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ACCEPTED_LABEL = "PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ảnh (.jpg, .png)"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_file(name: str, head: bytes, size: int, max_bytes: int) -> tuple[str | None, str]:
    """(error message or None, content type) for a file named `name` starting with `head`."""
    ext = extension(name)
    if ext not in KINDS:
        return f"Tệp “{name}” không được nhận: chỉ nhận {ACCEPTED_LABEL}.", ""
    content_type, signatures = KINDS[ext]
    if size == 0:
        return f"Tệp “{name}” rỗng.", content_type
    if size > max_bytes:
        mb = format_decimal(size / 1048576, 1)
        return f"Tệp “{name}” nặng {mb} MB, vượt giới hạn {max_bytes // 1048576} MB.", content_type
    if signatures and not any(head.startswith(s) for s in signatures):
        return f"Tệp “{name}” không phải tệp .{ext} hợp lệ (nội dung không khớp phần mở rộng).", content_type
    return None, content_type


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def read_head(stream: IO[bytes], n: int = 16) -> bytes:
    stream.seek(0)
    head = stream.read(n)
    stream.seek(0)
    return head
