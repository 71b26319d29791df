from django.urls import path

from conference import views

app_name = "conference"

urlpatterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("calendar/", views.month_calendar, name="calendar"),
    path("calendar/list/", views.list_calendar, name="calendar_list"),
    path("calendar.ics", views.feed_all, name="feed"),
    path("strategy/", views.strategy, name="strategy"),
    path("pillars/", views.pillar_list, name="pillars"),
    path("pillars/<slug:slug>/", views.pillar_detail, name="pillar"),
    path("pillars/<slug:slug>/calendar.ics", views.feed_pillar, name="pillar_feed"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/calendar.ics", views.feed_session, name="session_feed"),
    path("conferences/<slug:slug>/", views.conference_detail, name="detail"),
    path("conferences/<slug:slug>/calendar.ics", views.feed_conference, name="conference_feed"),
    path("conferences/<slug:slug>/schedule.json", views.schedule_json, name="schedule_json"),
]
