"""PDF with a text layer -> document model: pdfplumber tables, text lines around them,
and, on pages where no ruled table is found, text lines split into cells at wide gaps."""
from __future__ import annotations

from io import BytesIO

from ..errors import ReaderError
from ..model import Cell, Document, Para, Table

MAX_PAGES = 400
_GAP = 14.0  # points between words that separate two cells of a line


def _lines_from_words(words: list[dict], tol: float = 3.0) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _line_text(line: list[dict], split: bool) -> str:
    out, prev = [], None
    for w in line:
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            out.append("\t" if split and gap > _GAP else " ")
        out.append(w["text"])
        prev = w
    return "".join(out)


def _settings(page) -> dict:
    """Close a table row that a page break left open: its cell borders run to the page's
    lowest vertical rule, where no horizontal rule is drawn."""
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    if not verticals:
        return {}
    return {"explicit_horizontal_lines": [max(e["bottom"] for e in verticals)]}


def read_pdf(data: bytes, source: str) -> Document:
    import pdfplumber  # lazy: only for PDFs
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise ReaderError("encrypted", source) from e
    except Exception as e:
        inner = [e, e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(x).lower()
               for x in inner if x is not None):
            raise ReaderError("encrypted", source) from e
        raise ReaderError("corrupt", source, "tệp PDF bị hỏng, không mở được") from e
    doc = Document(source, fmt="pdf")
    chars_seen = 0
    fallback_pages: list[tuple[int, list[str]]] = []
    try:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise ReaderError("too_large", source, f"PDF có {len(pages)} trang, vượt quá {MAX_PAGES} trang")
        for pno, page in enumerate(pages, 1):
            where = f"trang {pno}"
            chars_seen += len(page.chars)
            if not page.chars:
                continue
            found = page.find_tables(_settings(page))
            items: list[tuple[float, object]] = []
            boxes = [t.bbox for t in found]
            for t in found:
                rows = t.extract()
                grid = [[Cell("" if c is None else c) for c in r] for r in rows]
                grid = [r for r in grid if any(c.text.strip() for c in r)]
                if grid:
                    items.append((t.bbox[1], Table(grid, where, [where] * len(grid)).square()))

            def outside(obj, boxes=boxes):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            words = [w for w in page.extract_words(keep_blank_chars=False) if outside(w)]
            lines = _lines_from_words(words)
            if not found:
                texts = [_line_text(line, split=True) for line in lines]
                fallback_pages.append((pno, texts))
                for line, text in zip(lines, texts):
                    items.append((line[0]["top"], Para(text.replace("\t", " "), where)))
            else:
                for line in lines:
                    items.append((line[0]["top"], Para(_line_text(line, split=False), where)))
            items.sort(key=lambda it: it[0])
            doc.blocks.extend(b for _, b in items)
    finally:
        pdf.close()
    if chars_seen == 0:
        raise ReaderError("no_text_layer", source)
    if not any(isinstance(b, Table) for b in doc.blocks) and fallback_pages:
        return _text_fallback(fallback_pages, source)
    return doc


def _text_fallback(pages: list[tuple[int, list[str]]], source: str) -> Document:
    """No ruled tables anywhere: read the lines as text (cells split at wide gaps)."""
    from .text import read_text

    text = "\n".join(line for _, lines in pages for line in lines + [""])
    doc = read_text(text, source)
    doc.fmt = "pdf"
    return doc
