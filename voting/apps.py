from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "coordinator": {
        "ballot": ["view", "add", "change"],
        "ballotgroup": ["view", "add", "change"],
        "ballotresult": ["view"],
        "paperbatch": ["view"],
        "codebatch": ["view", "add", "change"],
        "winnerdecision": ["view"],
    },
    "city_team": {"ballot": ["view"], "ballotresult": ["view"], "winnerdecision": ["view"]},
}


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self) -> None:
        from omakouvola import panels, roles

        from .views import my_page_panel

        roles.connect(self, ROLE_PERMISSIONS)
        panels.register("me", "voting", my_page_panel, order=30)

        from . import workqueues

        workqueues.register()

        from ideas import services as ideas_services

        from .services import proposal_is_frozen

        if proposal_is_frozen not in ideas_services.proposal_freeze_checks:
            ideas_services.proposal_freeze_checks.append(proposal_is_frozen)

        from omakouvola import privacy

        from . import privacy as mine

        privacy.register(
            self.label,
            export=mine.export,
            erase=mine.erase,
            retention=getattr(mine, "retention", None),
            anonymise=mine.anonymise,
        )
