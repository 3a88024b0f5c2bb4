from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The coordinator keeps the money records; the city team follows the building work.
ROLE_PERMISSIONS = {
    "coordinator": {
        "fundingsource": ["view", "add", "change"],
        "appropriation": ["view", "add", "change"],
        "appropriationshare": ["view", "add", "change", "delete"],
        "commitment": ["view", "add"],
        "implementation": ["view", "add", "change"],
        "milestone": ["view", "add", "change", "delete"],
        "progressnote": ["view", "add", "change"],
        "implementationphoto": ["view", "add", "change", "delete"],
        "expense": ["view", "add"],
        "volunteerwork": ["view", "add"],
        "report": ["view"],
    },
    "city_team": {
        "appropriation": ["view"],
        "commitment": ["view"],
        "implementation": ["view", "change"],
        "milestone": ["view", "add", "change", "delete"],
        "progressnote": ["view", "add", "change"],
        "implementationphoto": ["view", "add", "change", "delete"],
        "expense": ["view", "add"],
        "volunteerwork": ["view", "add"],
        "report": ["view"],
    },
    "sector_expert": {
        "implementation": ["view", "change"],
        "milestone": ["view", "add", "change"],
        "progressnote": ["view", "add"],
        "expense": ["view"],
    },
}


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self) -> None:
        from omakouvola import hooks, media, roles, tasking

        roles.connect(self, ROLE_PERMISSIONS)
        media.register_public_folder("budgets/")  # photos of what got built

        from . import workqueues

        workqueues.register()
        tasking.register_stuck_finder("budgets.tasks.report_build_task", _unbuilt_reports)
        # Implementation records follow the decisions that make them, for any year.
        from . import services

        hooks.on(hooks.WINNERS_DECIDED, services.on_winners_decided)
        hooks.on(hooks.GRANT_MADE, services.on_grant_made)
        # A winning proposal's page leads on to its building (the proposal lives below).
        from omakouvola import panels

        from .views import proposal_panel

        panels.register("proposal", "budgets", proposal_panel, order=5)


def _unbuilt_reports(cutoff):
    """Reports asked for long ago and still queued or building (their worker died)."""
    from .models import Report, ReportStatus

    ids = Report.objects.filter(
        status__in=[ReportStatus.QUEUED, ReportStatus.BUILDING], requested_at__lt=cutoff
    ).values_list("pk", flat=True)
    return ([pk] for pk in ids)
