"""Document metadata from the national heading block, web metadata and "Ban hành kèm theo" lines."""
from chiso.reader.formats.text import read_text
from chiso.reader.metadata import extract, sentence_case


def meta(text: str) -> dict:
    return extract(read_text(text, "x.txt"))


def test_heading_block():
    m = meta("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\nSố: 475/KH-UBND\nĐắk Nông, ngày 18 tháng 7 năm 2024\n\nKẾ HOẠCH\n\n"
             "CẢI THIỆN, NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX) TỈNH ĐẮK NÔNG NĂM 2024\n\nNgày 10/4/2024, Bộ Nội vụ ban hành ...")
    assert m == {"issuer": "UBND tỉnh Đắk Nông", "number": "475/KH-UBND", "date": "2024-07-18",
                 "title": "Kế hoạch cải thiện, nâng cao Chỉ số cải cách hành chính (PAR INDEX) tỉnh Đắk Nông năm 2024"}


def test_blank_number_and_partial_dates():
    m = meta("PHỤ LỤC\nPhân công nhiệm vụ cải thiện Chỉ số PAPI của tỉnh Đắk Lắk năm 2025\n"
             "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày tháng 9 năm 2025 của UBND tỉnh)\n")
    assert m["number"] is None
    assert m["date"] == "2025-09"
    assert m["issuer"] == "UBND tỉnh Đắk Lắk"
    assert meta("Số: /KH-UBND\nHà Nội, ngày   tháng   năm 2023\n")["date"] == "2023"


def test_web_page_metadata():
    m = meta("Số hiệu: 88/KH-UBND Loại văn bản: Kế hoạch\nNơi ban hành: Tỉnh Hà Giang Người ký: A\nNgày ban hành: 12/04/2019\n")
    assert m["number"] == "88/KH-UBND"
    assert m["issuer"] == "UBND tỉnh Hà Giang"
    assert m["date"] == "2019-04-12"


def test_nothing_stated_gives_nulls():
    assert meta("Một dòng chữ bất kỳ.\n") == {"issuer": None, "number": None, "date": None, "title": None}


def test_sentence_case_keeps_acronyms_and_places():
    assert sentence_case("NÂNG CAO CHỈ SỐ PAPI TỈNH HÀ GIANG NĂM 2019") == "Nâng cao Chỉ số PAPI tỉnh Hà Giang năm 2019"


def test_an_appendix_heading_after_the_title_is_not_part_of_it():
    from chiso.reader import read_bytes

    text = ("UBND TỈNH ĐẮK NÔNG\nSỞ NỘI VỤ\nSố: 88/SNV-CCHC\n\nBÁO CÁO\nKẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023\n\n"
            "PHỤ LỤC: BẢNG ĐIỂM BỊ TRỪ CHỈ SỐ PAR INDEX NĂM 2023\n"
            "STT\tTiêu chí\tĐiểm tối đa\tĐiểm thẩm định\n1\tCÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC\t9,5\t8,75\n")
    title = read_bytes(text.encode(), "bc.txt")["document"]["title"]
    assert title == "Báo cáo kết quả thẩm định Chỉ số cải cách hành chính năm 2023"


def test_a_table_right_under_the_title_takes_the_title_line_not_the_number_and_date():
    from chiso.reader import read_bytes

    text = ("UBND TỈNH PHÚ THỌ\nSố: 99/KH-UBND\nPhú Thọ, ngày 20 tháng 3 năm 2024\nKẾ HOẠCH\n"
            "Nâng cao Chỉ số cải cách hành chính năm 2024\n"
            "STT\tNội dung\tĐiểm tối đa\tĐiểm đạt năm 2023\n1\tCÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC\t9,5\t9\n")
    table = read_bytes(text.encode(), "kh.txt")["tables"][0]
    assert table["caption"] == "Nâng cao Chỉ số cải cách hành chính năm 2024"


def test_a_ministry_heading_is_the_issuer():
    from chiso.reader import read_bytes

    text = ("BỘ NỘI VỤ\nKẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2023 CỦA TỈNH KON TUM\n\n"
            "STT\tTiêu chí\tĐiểm tối đa\tĐiểm thẩm định\n1\tCông tác chỉ đạo, điều hành CCHC\t9,5\t9\n")
    assert read_bytes(text.encode(), "kq.txt")["document"]["issuer"] == "Bộ Nội vụ"
