import re
import pytest
from tests.factories import SessionFactory, ConferenceFactory, ParticipantFactory
import datetime

pytestmark = pytest.mark.django_db

def test_scratch(client, staff_user):
    client.force_login(staff_user)
    s = SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2030,7,1)))
    print(s.starts_at)
    r = client.get(f"/admin/conference/session/{s.pk}/change/")
    html = r.content.decode()
    print(re.findall(r'<input[^>]*name="(?:starts_at_1|date|starts_at_0)"[^>]*>', html))
    print(re.findall(r'name="(people-[A-Z_]+)"[^>]*value="([^"]*)"', html))

def test_scratch_queries(client, django_assert_max_num_queries):
    c = ConferenceFactory(venue=None, format="virtual")
    for i in range(5):
        SessionFactory(conference=c)
    from django.test.utils import CaptureQueriesContext
    from django.db import connection
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(c.get_absolute_url())
    print(len(ctx.captured_queries))

def test_scratch_approve(client, staff_user):
    client.force_login(staff_user)
    p = ParticipantFactory()
    r = client.get(f"/admin/registration/participant/{p.pk}/change/")
    html = r.content.decode()
    print(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', html)[:80])
