from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("preferences/", views.preferences, name="preferences"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("access/suspended/", views.suspended_grants_page, name="suspended_grants"),
    path("access/suspended/<int:pk>/", views.suspended_grant_action, name="suspended_grant_action"),
]
