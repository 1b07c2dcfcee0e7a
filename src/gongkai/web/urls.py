"""URL map of the platform: each app owns its prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "gongkai 政务公开工作平台 管理后台"
admin.site.site_title = "gongkai 管理后台"
admin.site.index_title = "配置管理"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("units/", include("gongkai.web.units.urls")),
    path("accounts/", include("gongkai.web.accounts.urls")),
    path("annual/", include("gongkai.web.annual.urls")),
    path("foi/", include("gongkai.web.foi.urls")),
    path("evaluation/", include("gongkai.web.evaluation.urls")),
    path("rectification/", include("gongkai.web.rectification.urls")),
    path("plans/", include("gongkai.web.plans.urls")),
    path("monitoring/", include("gongkai.web.monitoring.urls")),
    path("", include("gongkai.web.core.urls")),
]
