import io

import pytest
from django.core.management import call_command


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
