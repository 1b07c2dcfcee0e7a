from django.urls import path, re_path

from gongkai.web.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("import/", views.unit_import, name="import"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.unit_export, name="export"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
]
