import io

import pytest
from django.core.management import call_command

from tests import factories
from tests.registration.support import july_1


@pytest.fixture
def load_reference_data(db):
    """Run the load_reference_data command; returns what it printed."""

    def load():
        out = io.StringIO()
        call_command("load_reference_data", stdout=out)
        return out.getvalue()

    return load


@pytest.fixture
def reference_data(load_reference_data):
    return load_reference_data()


def pdf_stack_missing():
    """Why PDFs cannot be made and checked here (WeasyPrint needs Pango; badges need Noto fonts), or None."""
    import shutil
    import subprocess

    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return f"WeasyPrint cannot load Pango: {error}"
    if not shutil.which("fc-list"):
        return "fontconfig is not installed"
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    missing = [family for family in ("Noto Sans Arabic", "Noto Sans CJK") if family not in fonts]
    return f"fonts missing: {', '.join(missing)}" if missing else None


def pytest_collection_modifyitems(config, items):
    import os

    marked = [item for item in items if item.get_closest_marker("pdf")]
    if not marked or os.environ.get("CI") == "true":
        return  # under CI a missing PDF stack fails the tests rather than skipping them
    reason = pdf_stack_missing()
    if reason:
        for item in marked:
            item.add_marker(pytest.mark.skip(reason=f"{reason} (apt-get install fonts-noto-core fonts-noto-cjk)"))


@pytest.fixture
def conference(db):
    """An in-person conference open for registration, on 1-3 July next year in New York."""
    return factories.ConferenceFactory(open_for_registration=True, start_date=july_1(), title="Fourth Conference")


@pytest.fixture
def person(db):
    """Someone with a verified account."""
    return factories.VerifiedUserFactory(email="amina.diallo@example.org")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client
