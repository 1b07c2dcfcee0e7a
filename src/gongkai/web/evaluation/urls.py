from django.urls import path, re_path

from gongkai.web.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/progress/", views.round_progress, name="progress"),
    re_path(
        r"^rounds/(?P<pk>\d+)/(?P<action>start|retry|score|publish)/$", views.round_action, name="action"
    ),
    re_path(r"^rounds/(?P<pk>\d+)/tongbao\.(?P<kind>docx|pdf|xlsx)$", views.notice_download, name="download"),
    path("units/<int:pk>/", views.unit_result, name="unit"),
    path("units/<int:pk>/manual/", views.manual_score, name="manual"),
    path("scores/<int:pk>/review/", views.review_score, name="review"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
]
