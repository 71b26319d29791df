from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from conference import ical, schedule, selectors
from conference.caching import public_page
from conference.models import Conference
from strategy.models import Pillar


@public_page
def home(request):
    return render(request, "conference/home.html", selectors.home_conferences(request.user))


@public_page
def archive(request):
    return render(request, "conference/archive.html", {"past": selectors.home_conferences(request.user)["past"]})


@public_page
def conference_detail(request, slug):
    return render(
        request, "conference/conference_detail.html", selectors.conference_page(request.user, slug, request.GET)
    )


@public_page
def session_detail(request, pk):
    return render(request, "conference/session_detail.html", selectors.session_page(request.user, pk))


@public_page
def month_calendar(request):
    return render(request, "conference/calendar_month.html", selectors.month_page(request.GET))


@public_page
def list_calendar(request):
    return render(request, "conference/calendar_list.html", selectors.month_page(request.GET))


@public_page
def pillar_list(request):
    return render(request, "conference/pillar_list.html", {"pillars": selectors.pillars_overview()})


@public_page
def pillar_detail(request, slug):
    return render(request, "conference/pillar_detail.html", selectors.pillar_page(slug))


@public_page
def strategy(request):
    return render(request, "conference/strategy.html", selectors.strategy_page())


@public_page
def schedule_json(request, slug):
    conference = get_object_or_404(Conference.objects.published().select_related("venue"), slug=slug)
    sessions = selectors.schedule_sessions(conference)
    response = JsonResponse(schedule.export(conference, sessions), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, for integrators' own pages
    return response


# iCalendar feeds: the same for everyone, logged in or not, and kept like the pages (each event's
# text is also kept, so that an edit writes one event again: conference.ical).
def _serve_feed(sessions, *, name, filename):
    response = HttpResponse(
        ical.calendar_of(selectors.feed_facts(sessions), name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@public_page(same_for_everyone=True)
def feed_all(request):
    name = _("United Nations counter-terrorism conferences")
    return _serve_feed(selectors.feed_sessions(), name=name, filename="sessions")


@public_page(same_for_everyone=True)
def feed_conference(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug)
    sessions = selectors.feed_sessions(conference=conference)
    return _serve_feed(sessions, name=conference.title, filename=conference.slug)


@public_page(same_for_everyone=True)
def feed_pillar(request, slug):
    pillar = get_object_or_404(Pillar, slug=slug)
    sessions = selectors.feed_sessions(pillar=pillar)
    return _serve_feed(sessions, name=str(pillar), filename=f"pillar-{pillar.number}")


@public_page
def feed_session(request, pk):
    session = selectors.session_page(request.user, pk)["session"]
    response = HttpResponse(
        ical.build_calendar([session], name=session.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
