from django.urls import path

from conference import views

app_name = "conference"

urlpatterns = [
    path("", views.home, name="home"),
    path("conferences/<slug:slug>/", views.conference_detail, name="detail"),
]
