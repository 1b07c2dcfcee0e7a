"""URL map of the application ledger (mounted at /foi/)."""

from django.urls import path

from gongkai.web.foi import calendar_views, views

app_name = "foi"
urlpatterns = [
    path("", views.index, name="index"),
    path("applications/", views.app_list, name="list"),
    path("applications/new/", views.app_create, name="create"),
    path("applications/export.xlsx", views.app_export, name="export"),
    path("applications/<int:pk>/", views.app_detail, name="detail"),
    path("applications/<int:pk>/edit/", views.app_edit, name="edit"),
    path("applications/<int:pk>/events/", views.add_event, name="add_event"),
    path("applications/<int:pk>/cases/", views.add_case, name="add_case"),
    path("applications/<int:pk>/fee/", views.set_fee, name="set_fee"),
    path("applications/<int:pk>/notice/", views.make_notice, name="make_notice"),
    path("applications/<int:pk>/upload/", views.upload_document, name="upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("stats/", views.stats, name="stats"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("calendar/import/", calendar_views.calendar_import, name="calendar_import"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path("templates/", views.templates_view, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
]
