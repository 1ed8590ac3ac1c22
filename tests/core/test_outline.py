from chiso.core.outline import canonical_codes, outline, roman_value


def test_roman_values():
    assert [roman_value(c) for c in ["I", "II", "IV", "VI", "VIII", "IX", "XII"]] == [1, 2, 4, 6, 8, 9, 12]


def test_canonical_codes_of_a_roman_numbered_table():
    codes = ["I", "1", "2", "2.1", "II", "1", None, "VIII", "1"]
    assert canonical_codes(codes) == ["1", "1.1", "1.2", "1.2.1", "2", "2.1", None, "8", "8.1"]


def test_dotted_tables_keep_their_codes():
    codes = ["1", "1.1", "A", "2", None]
    assert canonical_codes(codes) == codes
    assert outline(codes) == ([0, 3], {0: [1]})


def test_sipas_letters_alone_are_not_roman_fields():
    assert canonical_codes(["A", "I", "II", "B"]) == ["A", "I", "II", "B"]


def test_section_letters_with_numbers_are_not_roman():
    assert canonical_codes(["A", "1", "2", "B", "1", "C", "1", "D", "1"]) == ["A", "1", "2", "B", "1", "C", "1", "D", "1"]
