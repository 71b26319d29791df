from django.conf import settings


def secretariat_email(request):
    """The Secretariat's address, for the pages that tell people to contact it (see SECRETARIAT_EMAIL)."""
    return {"SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL}
