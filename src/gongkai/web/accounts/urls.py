from django.urls import path

from gongkai.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("password/", views.password_change, name="password"),
    path("audit/", views.audit, name="audit"),
]
