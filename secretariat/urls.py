from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    # Staff pages (each behind secretariat.access.staff_required).
    path("checkin/", views.check_in_desk, name="checkin"),
    path("admin/participant-lists/<int:conference_id>/", views.participant_list_staff, name="participant_list_staff"),
    path("admin/documents/<str:reference>/", views.nomination_document, name="document"),
    path("admin/notes-verbales/<int:pk>/", views.note_verbale, name="note_verbale"),
    # allauth's page, with a "Continue" to where the person was going (before allauth's own URL).
    path("accounts/2fa/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    # What the Secretariat issues to participants and publishes.
    path("registrations/<str:reference>/badge.pdf", views.badge_download, name="badge"),
    path("registrations/<str:reference>/letter-of-invitation.pdf", views.letter_download, name="letter"),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/letter-of-invitation.pdf",
        views.member_letter_download,
        name="member_letter",
    ),
    path("letters/verify/<str:token>/", views.letter_verify, name="letter_verify"),
    path("conferences/<slug:slug>/participants/", views.participant_list_public, name="participant_list"),
]
