"""The reader's single exception type and its stable codes."""
from __future__ import annotations

# code -> default Vietnamese explanation (the file name is prefixed by ReaderError).
MESSAGES = {
    "empty": "tệp rỗng, không có nội dung",
    "not_a_document": "không phải là tài liệu văn bản, bảng tính, PDF hay HTML đọc được",
    "image": "là tệp ảnh; hãy tải lên bản Word, Excel, PDF có lớp chữ hoặc văn bản",
    "no_table": "không tìm thấy bảng nào trong tài liệu",
    "no_text_layer": "PDF không có lớp chữ (có thể là bản quét); hãy dùng bản có lớp chữ hoặc bản Word",
    "too_large": "tệp vượt quá dung lượng cho phép",
    "too_slow": "đọc tệp quá thời gian cho phép",
    "encrypted": "tệp được đặt mật khẩu hoặc mã hóa, không đọc được",
    "no_index_table": "không tìm thấy bảng chỉ số (không có cột tiêu chí, điểm hay nhiệm vụ nhận biết được)",
    "corrupt": "tệp bị hỏng hoặc không đúng định dạng",
    "unreadable": "không đọc được tệp",
}


class ReaderError(Exception):
    """Raised for any document the reader cannot turn into a plan table.

    `str(err)` is one Vietnamese line naming the file, where possible the place
    (line, sheet, page) and what is wrong; `err.code` is a stable machine code.
    """

    unexpected = False  # set where a catch-all turns any exception into this error

    def __init__(self, code: str, source: str = "", detail: str | None = None, where: str | None = None):
        self.code = code
        self.source = source
        self.where = where
        self.detail = detail or MESSAGES.get(code, MESSAGES["unreadable"])
        parts = [f"Tệp «{source}»" if source else "Tệp"]
        if where:
            parts.append(f"({where})")
        message = " ".join(parts) + ": " + self.detail
        message = " ".join(message.split())
        super().__init__(message)
