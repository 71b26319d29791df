"""Prepared files in the admin: each person sees their own, with its progress, and downloads it once ready."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from secretariat.models import PreparedFile

# Badge batches and exports hold what the participants' pages show: the same permission opens them.
PERMISSION = "registration.view_participant"


@admin.register(PreparedFile)
class PreparedFileAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "progress", "state", "download_link"]
    list_display_links = ["created_at", "kind"]
    list_filter = ["kind", "state"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(requested_by=request.user)

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:object_id>/download/", download, name="secretariat_preparedfile_download"),
            *super().get_urls(),
        ]

    def _own(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The file's progress, which prepared.js refreshes; without JavaScript, a link to look again."""
        if not str(object_id).isdigit():
            raise Http404
        prepared = self._own(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": str(prepared),
            "opts": self.model._meta,
            "prepared": prepared,
            "download_url": self.download_url(prepared),
        }
        return TemplateResponse(request, "admin/secretariat/preparedfile/progress.html", context)

    def download_view(self, request, object_id):
        prepared = self._own(request, object_id)
        if prepared.state != PreparedFile.State.READY:
            raise Http404
        response = FileResponse(
            prepared.file.open("rb"), as_attachment=True, filename=prepared.file.name.rsplit("/")[-1]
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def download_url(self, prepared):
        return reverse("admin:secretariat_preparedfile_download", args=[prepared.pk], current_app=self.admin_site.name)

    @admin.display(description=_("progress"))
    def progress(self, prepared):
        return _("%(done)s of %(total)s") % {"done": prepared.done, "total": prepared.total}

    @admin.display(description=_("file"))
    def download_link(self, prepared):
        if prepared.state != PreparedFile.State.READY:
            return "—"
        return format_html('<a href="{}">{}</a>', self.download_url(prepared), _("Download"))
