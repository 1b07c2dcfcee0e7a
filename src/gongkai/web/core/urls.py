from django.urls import path

from gongkai.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("jobs/", views.job_list, name="jobs"),
]
