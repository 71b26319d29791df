from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    # Staff pages (each behind secretariat.access.staff_required).
    path("checkin/", views.check_in_desk, name="checkin"),
    path("admin/participant-lists/<int:conference_id>/", views.participant_list_staff, name="participant_list_staff"),
    path("admin/documents/<str:reference>/", views.nomination_document, name="document"),
    # What the Secretariat issues to participants and publishes.
    path("registrations/<str:reference>/badge.pdf", views.badge_download, name="badge"),
    path("conferences/<slug:slug>/participants/", views.participant_list_public, name="participant_list"),
]
