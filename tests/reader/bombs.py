"""Hostile office files, built on the fly: zip bombs, a lying zip header, a sheet of a
million cells. Used by the reader's limit tests and by bench/bomb.py."""
from __future__ import annotations

import io
import random
import struct
import zipfile

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
             'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                 '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main"><sheetData>')
SHEET_TAIL = "</sheetData>{after}</worksheet>"
COLUMNS = [chr(ord("A") + i) for i in range(20)]


def _sheet_rows(xml_bytes: int, value=None, per_row: int = len(COLUMNS)) -> tuple[int, list[str]]:
    """Rows of 20 numeric cells until the sheet's XML reaches `xml_bytes`; (cells, chunks).
    Without `value`, every cell holds 1 and only the rows are numbered (cell references are
    optional in the format), which compresses as well as the issue's bomb."""
    chunks, size, cells, r = [], 0, 0, 0
    same = "<c><v>1</v></c>" * per_row
    while size < xml_bytes:
        r += 1
        if value is None:
            row = f'<row r="{r}">{same}</row>'
        else:
            row = f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{value(r, i)}</v></c>'
                                             for i, c in enumerate(COLUMNS)) + "</row>"
        chunks.append(row)
        size += len(row)
        cells += per_row if value is None else len(COLUMNS)
    return cells, chunks


def xlsx_with_sheet(rows_xml: list[str], after: str = "") -> bytes:
    """A one-sheet .xlsx of these <row> elements; `after` goes after the sheet data (merged cells)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            for row in rows_xml:
                sheet.write(row.encode())
            sheet.write(SHEET_TAIL.format(after=after).encode())
    return buffer.getvalue()


def xlsx_bomb(xml_bytes: int = 45 * 1024 * 1024, per_row: int = 50) -> tuple[bytes, int]:
    """The issue's bomb: a small .xlsx whose one sheet is `xml_bytes` of the same number over and
    over (≈260 KB expanding to 45 MB, 50 cells a row); returns (file, cells)."""
    cells, rows = _sheet_rows(xml_bytes, per_row=per_row)
    return xlsx_with_sheet(rows), cells


def xlsx_dense(xml_bytes: int, seed: int = 1) -> tuple[bytes, int]:
    """Many cells of varied numbers: compresses only a few times, so the zip check passes and the
    cell count has to stop it; returns (file, cells)."""
    rnd = random.Random(seed)
    cells, rows = _sheet_rows(xml_bytes, lambda r, i: rnd.randrange(10 ** 9))
    return xlsx_with_sheet(rows), cells


def docx_bomb(xml_bytes: int = 45 * 1024 * 1024) -> bytes:
    """A Word file whose document.xml is `xml_bytes` of the same paragraph."""
    para = "<w:p><w:r><w:t>Nhiệm vụ cải cách hành chính</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", ROOT_RELS.replace("xl/workbook.xml", "word/document.xml"))
        with z.open("word/document.xml", "w") as doc:
            doc.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                      b'wordprocessingml/2006/main"><w:body>')
            block = (para * 1000).encode()
            for _ in range(xml_bytes // len(block) + 1):
                doc.write(block)
            doc.write(b"</w:body></w:document>")
    return buffer.getvalue()


def ods_repeated(rows: int, columns: int) -> bytes:
    """An .ods of a few hundred bytes whose one cell is repeated over `rows` × `columns`."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="{rows}">'
               f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
               '<text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>')
    return buffer.getvalue()


def lying_sizes(content: bytes, member: str, declared: int) -> bytes:
    """`content` (a zip) with `member`'s uncompressed size rewritten to `declared` in both its local
    header and the central directory, as a bomb that hides its size would."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        info = z.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header: uncompressed size
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", data, pos + 24, declared)  # central directory: uncompressed size
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)
