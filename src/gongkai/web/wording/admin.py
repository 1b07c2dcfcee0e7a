from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.wording.io import ImportRejected, export_xlsx, import_xlsx
from gongkai.web.wording.models import WordingEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label="词典文件（.xlsx）")


@admin.register(WordingEntry)
class WordingEntryAdmin(SimpleHistoryAdmin):
    list_display = ["phrase", "correct", "severity", "must_not_use", "category", "until", "active"]
    list_filter = ["severity", "must_not_use", "active", "category"]
    search_fields = ["phrase", "correct", "category", "source"]
    actions = ["export_selected"]
    change_list_template = "admin/wording/wordingentry/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="wording_wordingentry_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="wording_wordingentry_export"),
        ]
        return extra + super().get_urls()

    @admin.action(description="导出所选词条（XLSX）")
    def export_selected(self, request: HttpRequest, queryset) -> HttpResponse:  # noqa: ANN001
        return self._xlsx(export_xlsx(queryset))

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        return self._xlsx(export_xlsx(WordingEntry.objects.all()))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created, updated = import_xlsx(upload.read(), upload.name)
            except ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(request, f"导入完成：新增 {created} 条，更新 {updated} 条")
                return HttpResponseRedirect(reverse("admin:wording_wordingentry_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors,
                   "opts": self.model._meta, "title": "导入表述词典"}  # fmt: skip
        return render(request, "admin/wording/wordingentry/import.html", context)

    @staticmethod
    def _xlsx(data: bytes) -> HttpResponse:
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''wording-dictionary.xlsx"
        return response
