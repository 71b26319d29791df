from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("conferences/<slug:slug>/register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="list"),
    path("registrations/<str:reference>/", views.registration_detail, name="detail"),
    path("registrations/<str:reference>/edit/", views.registration_edit, name="edit"),
    path("registrations/<str:reference>/cancel/", views.registration_cancel, name="cancel"),
    path("registrations/<str:reference>/document/", views.registration_document, name="document"),
    path("registrations/<str:reference>/calendar.ics", views.registration_calendar, name="calendar"),
    path("registrations/<str:reference>/letter/", views.letter_request, name="letter"),
]
