from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.wording.io import ENTRIES, LEADERS, ImportRejected, Sheet, export_xlsx, import_xlsx
from gongkai.web.wording.models import LeaderEntry, WordingAllowance, WordingEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx）")


class SheetAdmin(SimpleHistoryAdmin):
    """An audited admin with XLSX import (all or nothing) and export of the whole list or a selection."""

    sheet: Sheet
    change_list_template = "admin/wording/change_list.html"
    actions = ["export_selected"]

    def _name(self, action: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{action}"

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name=self._name("import")),
            path("export/", self.admin_site.admin_view(self.export_view), name=self._name("export")),
        ]
        return extra + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        urls = {
            "import_url": reverse(f"admin:{self._name('import')}"),
            "export_url": reverse(f"admin:{self._name('export')}"),
        }
        return super().changelist_view(request, {**(extra_context or {}), **urls})

    @admin.action(description="导出所选（XLSX）")
    def export_selected(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return self._xlsx(export_xlsx(self.sheet, queryset))

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        return self._xlsx(export_xlsx(self.sheet, self.model.objects.all()))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created, updated = import_xlsx(self.sheet, upload.read(), upload.name)
            except ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(request, f"导入完成：新增 {created} 条，更新 {updated} 条")
                return HttpResponseRedirect(reverse(f"admin:{self._name('changelist')}"))
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors, "opts": self.opts,
                   "title": f"导入{self.sheet.title}", "columns": [h for h, _ in self.sheet.columns],
                   "required": self.sheet.required}  # fmt: skip
        return render(request, "admin/wording/import.html", context)

    def _xlsx(self, data: bytes) -> HttpResponse:
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{self.opts.model_name}.xlsx"
        return response


@admin.register(WordingEntry)
class WordingEntryAdmin(SheetAdmin):
    sheet = ENTRIES
    list_display = ["phrase", "correct", "severity", "must_not_use", "category", "until", "active"]
    list_filter = ["severity", "must_not_use", "active", "category"]
    search_fields = ["phrase", "correct", "category", "source"]


@admin.register(LeaderEntry)
class LeaderEntryAdmin(SheetAdmin):
    sheet = LEADERS
    list_display = ["name", "group", "order", "titles", "unique_titles", "confirmed", "active"]
    list_filter = ["group", "confirmed", "active"]
    search_fields = ["name", "titles", "group"]


@admin.register(WordingAllowance)
class WordingAllowanceAdmin(SimpleHistoryAdmin):
    list_display = ["url_prefix", "phrase", "check_id", "reason", "active"]
    list_filter = ["check_id", "active"]
    search_fields = ["url_prefix", "phrase", "reason"]
