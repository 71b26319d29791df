"""Files the Secretariat asks for that take a while to make (badge batches, exports): prepared by a
task worker, with their progress, and kept private for the person who asked."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registration.storage import private_storage


def prepared_path(prepared, filename):
    return f"prepared/{uuid.uuid4().hex}/{filename}"


class PreparedFile(models.Model):
    class Kind(models.TextChoices):
        BADGES = "badges", _("Badges (PDF)")
        DELEGATION_BADGES = "delegation", _("Badges of delegations (PDF)")
        CSV = "csv", _("Participants (CSV)")
        XLSX = "xlsx", _("Participants (Excel)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    participant_ids = models.JSONField(default=list)
    language = models.CharField(max_length=10, default="en")
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=prepared_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self):
        return self.state in (self.State.READY, self.State.FAILED)
