from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
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
    sessions = selectors.with_details(conference.sessions.all())
    response = JsonResponse(schedule.export(conference, sessions), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, for integrators' own pages
    return response


# iCalendar feeds. A repeat request gets 304 Not Modified, after one query for the version.
FEED_CACHE_SECONDS = 60 * 60 * 24


def _serve_feed(request, sessions, *, name, filename):
    latest, count = selectors.feed_version(sessions)
    etag = quote_etag(f"{count}-{int(latest.timestamp() * 1_000_000) if latest else 0}")
    last_modified = int(latest.timestamp()) if latest else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag  # RFC 9110: a 304 repeats the validators
        if last_modified is not None:
            not_modified["Last-Modified"] = http_date(last_modified)
        return not_modified
    # The version is in the key: any change to a session makes a new entry, so nothing stale is served.
    key = f"feed:{request.path}:{get_language()}:{etag}"
    body = cache.get(key)
    if body is None:
        body = ical.calendar_of(selectors.feed_facts(sessions), name=name)
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


def feed_all(request):
    name = _("United Nations counter-terrorism conferences")
    return _serve_feed(request, selectors.feed_sessions(), name=name, filename="sessions")


def feed_conference(request, slug):
    conference = get_object_or_404(Conference.objects.published(), slug=slug)
    sessions = selectors.feed_sessions(conference=conference)
    return _serve_feed(request, sessions, name=conference.title, filename=conference.slug)


def feed_pillar(request, slug):
    pillar = get_object_or_404(Pillar, slug=slug)
    sessions = selectors.feed_sessions(pillar=pillar)
    return _serve_feed(request, sessions, name=str(pillar), filename=f"pillar-{pillar.number}")


@public_page
def feed_session(request, pk):
    session = selectors.session_page(request.user, pk)["session"]
    response = HttpResponse(
        ical.build_calendar([session], name=session.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
