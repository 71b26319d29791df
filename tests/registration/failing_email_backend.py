"""An email backend whose mail server is down: every send is refused, as by a closed SMTP port."""

import errno

from django.core.mail.backends.base import BaseEmailBackend

PATH = "tests.registration.failing_email_backend.FailingEmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
