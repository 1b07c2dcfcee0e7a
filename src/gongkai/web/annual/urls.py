from django.urls import path

from gongkai.web.annual import views

app_name = "annual"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("build/", views.build, name="build"),
    path("report/<int:pk>/", views.detail, name="detail"),
    path("version/<int:pk>/", views.version, name="version"),
    path("unit/<int:unit_id>/", views.history, name="history"),
    path("export.<str:fmt>", views.export, name="export"),
]
