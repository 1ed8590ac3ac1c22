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
