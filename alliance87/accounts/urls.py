from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invite/", views.invite, name="invite"),
    path("settings/", views.account_settings, name="settings"),
]
