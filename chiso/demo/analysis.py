"""The analysis demo step: rules of the QĐ 876 computed criteria and the published results.

Idempotent: run again, it changes nothing. Reads only files shipped in chiso/data.
"""
from __future__ import annotations


def load_analysis_demo(out) -> None:
    from chiso.analysis.services import bundled_published_results_load, bundled_rules_apply

    changed = bundled_rules_apply(actor=None)
    out(f"Công thức tiêu chí tính điểm: {changed} tiêu chí được cập nhật")
    count = bundled_published_results_load(actor=None)
    out(f"Kết quả công bố các tỉnh (số liệu báo chí nêu): {count} dòng")
