import datetime

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone


def health(request):
    """For load balancers and monitoring: "ok" while the database and the shared cache answer and
    the task workers keep up, 503 naming what does not (no page is served well without them)."""
    checks = (("database", _database_answers), ("cache", _cache_answers), ("tasks", _tasks_keep_up))
    failing = [name for name, works in checks if not works()]
    if failing:
        response = HttpResponse("unavailable: " + ", ".join(failing), content_type="text/plain", status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok", content_type="text/plain")


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_answers():
    try:
        cache.set("health-check", "ok", 10)
        return cache.get("health-check") == "ok"
    except Exception:  # any failure of the cache server or the network
        return False


def _tasks_keep_up():
    """False when a task due to run has waited longer than TASKS_BACKLOG_MAX_SECONDS: no worker runs,
    or too few for the work (emails would wait)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task_backends["default"], DatabaseBackend):
        return True  # tasks that run at once have no backlog
    overdue = timezone.now() - datetime.timedelta(seconds=settings.TASKS_BACKLOG_MAX_SECONDS)
    try:
        return not (
            DBTaskResult.objects.filter(status="READY")
            .filter(Q(run_after__lte=overdue) | Q(run_after=get_date_max(), enqueued_at__lte=overdue))
            .exists()
        )
    except DatabaseError:
        return False


urlpatterns = [
    path("health/", health, name="health"),
    # Every page in every language: /fr/conferences/… in French, unprefixed in English,
    # so that a link shared in one language opens in it.
    *i18n_patterns(
        # Before the admin, whose catch-all would swallow the Secretariat's pages under /admin/.
        path("", include("secretariat.urls")),
        path("admin/", admin.site.urls),
        path("accounts/", include("allauth.urls")),
        path("", include("registration.urls")),
        path("", include("conference.urls")),
        prefix_default_language=False,
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
