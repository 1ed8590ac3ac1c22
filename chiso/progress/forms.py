"""Forms of the progress pages. Dates are typed dd/mm/yyyy."""
from __future__ import annotations

from django import forms

from chiso.plans.models import TaskStatus

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric", "autocomplete": "off"}


class PeriodForm(forms.Form):
    name = forms.CharField(label="Tên kỳ báo cáo", max_length=64,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Quý IV/2025"}))
    start = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"))
    end = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"))
    due_date = forms.DateField(label="Hạn nộp báo cáo", widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"))

    error_messages = {"invalid": "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2025."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in ("start", "end", "due_date"):
            self.fields[f].error_messages.update(self.error_messages)
            self.fields[f].error_messages["required"] = f"Cần ghi “{self.fields[f].label}”."
        self.fields["name"].error_messages["required"] = "Cần ghi tên kỳ báo cáo, ví dụ “Quý IV/2025”."


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="Tình hình thực hiện", choices=TaskStatus.choices,
                               widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    percent = forms.IntegerField(label="Tỷ lệ hoàn thành (%)", min_value=0, max_value=100, initial=0,
                                 widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}))
    done = forms.CharField(label="Kết quả đã thực hiện", required=False,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))
    reason = forms.CharField(label="Lý do (bắt buộc khi chậm tiến độ hoặc không thực hiện được)", required=False,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))
    links = forms.CharField(label="Đường dẫn kiểm chứng (mỗi dòng một đường dẫn)", required=False,
                            widget=forms.Textarea(attrs={"class": "form-control", "rows": 2,
                                                         "placeholder": "https://..."}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].error_messages.update({
            "invalid": "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100.",
            "min_value": "Tỷ lệ hoàn thành không được nhỏ hơn 0.",
            "max_value": "Tỷ lệ hoàn thành không được lớn hơn 100.",
            "required": "Cần ghi tỷ lệ hoàn thành (0–100).",
        })
        self.fields["status"].error_messages["required"] = "Chọn tình hình thực hiện."


class ContributionForm(forms.Form):
    text = forms.CharField(label="Nội dung đơn vị đã phối hợp thực hiện",
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))
    links = forms.CharField(label="Đường dẫn kiểm chứng (mỗi dòng một đường dẫn)", required=False,
                            widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Cần ghi nội dung đơn vị đã phối hợp thực hiện."


class ReviewForm(forms.Form):
    comment = forms.CharField(label="Ý kiến", required=False,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


def form_errors(form: forms.Form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]
