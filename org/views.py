from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import can_import_org, scope_for
from core.tabular import Purpose
from core.uploads import preview_then_confirm

from .services import org_import


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The organization administrator: upload the organization file, see what it would change
    (people by name, accounts closed, role grants suspended), then confirm; a mass change (many
    people leaving, many e-mail addresses changing) needs the confirmation box ticked too."""
    if not can_import_org(scope_for(request.user)):
        raise Http404

    def run(table, *, dry_run, actor, options):
        # The confirm step's box, required when the preview named a mass change.
        allow = request.POST.get("confirm_mass_change") == "1"
        return org_import(table=table, dry_run=dry_run, actor=actor, allow_mass_change=allow)

    return preview_then_confirm(
        request,
        kind="org",
        purpose=Purpose.ORG_FILE,
        template="org/upload.html",
        run=run,
        done_message=_("Organization imported: %(summary)s."),
        done_url=reverse("home"),
        context={"sample_labels": {"created": _("Created"), "updated": _("Updated"), "deactivated": _("Deactivated"), "reactivated": _("Reactivated")}},
    )
