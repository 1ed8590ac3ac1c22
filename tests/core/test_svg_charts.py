"""Radar and line charts: well-formed SVG, escaped labels, a marked framework change."""
import xml.etree.ElementTree as ET

from chiso.core.svg import line_chart, radar_chart

NS = "{http://www.w3.org/2000/svg}"


def test_radar_chart_is_valid_svg_with_one_polygon_per_series_and_escaped_labels():
    svg = radar_chart(["Chỉ đạo <script>", "Thể chế", "TTHC"], [("2023", [0.9, 0.5, None]), ("Mục tiêu", [1, 0.6, 0.7])],
                      title="Tỷ lệ & điểm")
    root = ET.fromstring(svg)
    polygons = root.findall(f"{NS}polygon")
    assert len(polygons) == 4 + 2  # four rings and two series
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_line_chart_breaks_on_missing_values_and_marks_a_framework_change():
    svg = line_chart([("Tổng điểm", [(2020, 80), (2021, None), (2022, 84.6), (2023, 85.4)])], title="Xu hướng",
                     marks=[(2022, "QĐ 876/QĐ-BNV")])
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}polyline")) == 1  # 2020 stands alone, 2022–2023 is a line
    assert len(root.findall(f"{NS}circle")) == 3
    assert root.find(f"{NS}g[@class='framework-change']") is not None and "QĐ 876" in svg


def test_empty_series_do_not_fail():
    ET.fromstring(line_chart([], title="Trống"))
    ET.fromstring(radar_chart([], [], title="Trống"))


def test_a_single_year_gets_a_readable_axis():
    svg = line_chart([("Tổng điểm", [(2023, 85.415), (2024, None)])], title="Một năm", unit="%")
    labels = [t.text for t in ET.fromstring(svg).iter(f"{NS}text") if t.text and t.text.endswith("%")]
    assert labels == ["83,4%", "84,4%", "85,4%", "86,4%", "87,4%"]  # two points of margin each side
    near_full = line_chart([("Lĩnh vực", [(2023, 99.0)])], title="Gần 100", unit="%")
    top = [t.text for t in ET.fromstring(near_full).iter(f"{NS}text") if t.text and t.text.endswith("%")][-1]
    assert top == "100%"  # a share never goes above 100 %


def test_heat_map_bands_escape_and_not_applicable():
    from decimal import Decimal

    from chiso.core.svg import heat_map

    svg = heat_map([("Sở <Tư> pháp", [Decimal("95.5"), None, Decimal("42")])],
                   [("LV 1", "Chỉ đạo"), ("LV 2", "Thể chế"), ("LV 3", "TTHC")], title="Bản đồ nhiệt")
    assert "Sở &lt;Tư&gt; pháp" in svg and "K/AD" in svg and "95,5" in svg
    assert svg.count('fill="#1e7b4f"') == 1 and svg.count('fill="#d9534f"') == 1
    assert "style=" not in svg  # presentation attributes only, under the CSP
