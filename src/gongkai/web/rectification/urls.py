from django.urls import path, re_path

from gongkai.web.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:round_id>/generate/", views.generate, name="generate"),
    path("rounds/<int:round_id>/qingdan.xlsx", views.export_round, name="export_round"),
    path("rounds/<int:round_id>/units/<int:unit_id>/", views.unit_list, name="unit"),
    path("rounds/<int:round_id>/units/<int:unit_id>/merge/", views.merge, name="merge"),
    path("rounds/<int:round_id>/units/<int:unit_id>/add/", views.add, name="add"),
    re_path(
        r"^rounds/(?P<round_id>\d+)/units/(?P<unit_id>\d+)/qingdan\.(?P<kind>xlsx|docx)$",
        views.export_unit,
        name="export_unit",
    ),
    path("items/<int:pk>/", views.item, name="item"),
    re_path(
        r"^items/(?P<pk>\d+)/(?P<action>close|reopen|withdraw|split|verify)/$",
        views.office_action,
        name="action",
    ),
    path("huitoukan/<int:year>/", views.huitoukan, name="huitoukan"),
]
