from django.urls import path, re_path

from gongkai.web.evaluation import appeal_views, replay_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("quality/", views.quality_page, name="quality"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/progress/", views.round_progress, name="progress"),
    re_path(r"^rounds/(?P<pk>\d+)/(?P<action>start|retry|score)/$", views.round_action, name="action"),
    re_path(r"^rounds/(?P<pk>\d+)/tongbao\.(?P<kind>docx|pdf|xlsx)$", views.notice_download, name="download"),
    path("rounds/<int:pk>/publish/", views.publish_round, name="publish"),
    path("rounds/<int:pk>/review/", views.review_index, name="review_index"),
    path("rounds/<int:pk>/review/<str:check>/", views.review_check, name="review_check"),
    path("rounds/<int:pk>/appeals/", appeal_views.appeal_list, name="appeals"),
    re_path(
        r"^rounds/(?P<pk>\d+)/appeals/(?P<action>open|close)/$",
        appeal_views.appeal_window,
        name="appeal_window",
    ),
    path("units/<int:pk>/appeal/", appeal_views.appeal_create, name="appeal"),
    path("appeals/<int:pk>/decide/", appeal_views.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/attachment/", appeal_views.appeal_attachment, name="appeal_attachment"),
    path("units/<int:pk>/archive/", replay_views.archive_view, name="archive"),
    path("units/<int:pk>/archive/page/", replay_views.archive_page, name="archive_page"),
    path("units/<int:pk>/archive/pages/", replay_views.archive_index, name="archive_index"),
    path("units/<int:pk>/", views.unit_result, name="unit"),
    path("units/<int:pk>/manual/", views.manual_score, name="manual"),
    path("scores/<int:pk>/review/", views.review_score, name="review"),
    path("scores/<int:pk>/screenshot/", views.screenshot, name="screenshot"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
]
