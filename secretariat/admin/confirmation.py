"""The page an admin action shows before it applies, to ask for a text (a message, a reason)."""

from django.template.response import TemplateResponse


def action_confirmation(modeladmin, request, *, template, title, form, selected):
    """The page `template` (extending admin/action_confirmation.html) for the action being run on
    `selected`: it lists them, asks for `form`, and posts the action back with "apply"."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "selected": selected,
        "form": form,
        "action": request.POST["action"],
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, template, context)
