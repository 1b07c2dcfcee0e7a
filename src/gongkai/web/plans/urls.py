from django.urls import path

from gongkai.web.plans import report_views, views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_edit, name="create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/import/", views.plan_import, name="import"),
    path("<int:pk>/tasks.xlsx", views.plan_export, name="export"),
    path("<int:pk>/report/", report_views.office_report, name="report"),
    path("<int:pk>/status.xlsx", report_views.status_export, name="status_xlsx"),
    path("<int:pk>/units/<int:unit_id>/report.docx", report_views.unit_report, name="unit_report"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("progress/<int:pk>/file/", views.progress_file, name="progress_file"),
]
