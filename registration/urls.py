from django.urls import path

from registration import delegation_views, views

app_name = "registration"

urlpatterns = [
    path("conferences/<slug:slug>/register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="list"),
    path("registrations/<str:reference>/", views.registration_detail, name="detail"),
    path("registrations/<str:reference>/edit/", views.registration_edit, name="edit"),
    path("registrations/<str:reference>/cancel/", views.registration_cancel, name="cancel"),
    path("registrations/<str:reference>/document/", views.registration_document, name="document"),
    path("registrations/<str:reference>/calendar.ics", views.registration_calendar, name="calendar"),
    path("delegations/", delegation_views.delegation_list, name="delegations"),
    path("delegations/<int:pk>/", delegation_views.delegation_detail, name="delegation"),
    path("delegations/<int:pk>/members/", delegation_views.member_add, name="member_add"),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/withdraw/",
        delegation_views.member_withdraw,
        name="member_withdraw",
    ),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/replace/", delegation_views.member_replace, name="member_replace"
    ),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/register/",
        delegation_views.member_register,
        name="member_register",
    ),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/head/",
        delegation_views.member_make_head,
        name="member_make_head",
    ),
    path("delegations/<int:pk>/note-verbale/", delegation_views.note_verbale, name="note_verbale"),
    path("delegations/<int:pk>/members/<int:member_pk>/letter/", delegation_views.member_letter, name="member_letter"),
    path("nominations/<int:pk>/", delegation_views.nomination, name="nomination"),
    path("registrations/<str:reference>/letter/", views.letter_request, name="letter"),
]
