"""/health/ tells the load balancer what fails; error pages keep the site's look and language."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from conference import selectors

pytestmark = pytest.mark.django_db


def test_health_ok_while_database_and_cache_answer(client):
    response = client.get("/health/")

    assert (response.status_code, response.content) == (200, b"ok")


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_health_names_the_task_queue_when_no_worker_keeps_up(client, settings):
    """A task due for longer than TASKS_BACKLOG_MAX_SECONDS means no worker runs: emails would wait."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from registration.emails import send_email

    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKLOG_MAX_SECONDS = 300
    result = send_email.enqueue(1)
    later = send_email.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(2)
    fresh = client.get("/health/")
    DBTaskResult.objects.filter(pk=later.id).update(enqueued_at=timezone.now() - datetime.timedelta(hours=2))
    planned_for_later = client.get("/health/")
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - datetime.timedelta(seconds=301))
    overdue = client.get("/health/")

    assert [(r.status_code, r.content) for r in (fresh, planned_for_later, overdue)] == [
        (200, b"ok"),
        (200, b"ok"),
        (503, b"unavailable: tasks"),
    ]


def test_health_names_the_cache_that_does_not_answer(client):
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    with override_settings(CACHES=unreachable):
        response = client.get("/health/")

    assert (response.status_code, response.content, response["Retry-After"]) == (503, b"unavailable: cache", "30")


def test_health_names_the_database_that_does_not_answer(client, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)

    response = client.get("/health/")

    assert (response.status_code, response.content) == (503, b"unavailable: database")


def broken(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def heading(response):
    return response.content.decode().split("<h1>")[1].split("</h1>")[0]


@pytest.mark.parametrize(("prefix", "text"), [("", "Temporarily unavailable"), ("/fr", "Temporairement indisponible")])
def test_page_during_a_database_outage_is_503_with_a_retry_hint(monkeypatch, prefix, text):
    monkeypatch.setattr(selectors, "home_conferences", broken(OperationalError("server closed the connection")))

    response = Client(raise_request_exception=False).get(prefix + "/")

    assert (response.status_code, response["Retry-After"], heading(response)) == (503, "30", text)


@pytest.mark.parametrize(("prefix", "text"), [("", "Something went wrong"), ("/ar", "حدث خطأ ما")])
def test_server_error_page_in_the_sites_look_and_language(monkeypatch, prefix, text):
    monkeypatch.setattr(selectors, "home_conferences", broken(ValueError("a bug")))

    response = Client(raise_request_exception=False).get(prefix + "/")

    assert (response.status_code, heading(response)) == (500, text)


@pytest.mark.parametrize(("prefix", "text"), [("", "Page not found"), ("/es", "Página no encontrada")])
def test_not_found_page_in_the_sites_look_and_language(client, prefix, text):
    response = client.get(prefix + "/no-such-page/")

    assert (response.status_code, heading(response)) == (404, text)


def test_forbidden_page_in_the_sites_look(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(email="visitor@example.org", password="pw"))

    response = client.get("/ru/checkin/")

    assert (response.status_code, heading(response)) == (403, "Доступ запрещен")
