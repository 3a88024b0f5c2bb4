from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "coordinator": {
        "ballot": ["view", "add", "change"],
        "ballotgroup": ["view", "add", "change"],
        "ballotresult": ["view"],
        "paperbatch": ["view"],
        "winnerdecision": ["view"],
    },
    "city_team": {"ballot": ["view"], "ballotresult": ["view"], "winnerdecision": ["view"]},
}


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self) -> None:
        from omakouvola import roles

        roles.connect(self, ROLE_PERMISSIONS)

        from omakouvola import privacy

        from . import privacy as mine

        privacy.register(
            self.label,
            export=mine.export,
            erase=mine.erase,
            retention=getattr(mine, "retention", None),
            anonymise=mine.anonymise,
        )
