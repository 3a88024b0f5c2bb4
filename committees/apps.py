from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The coordinator assists all five committees: people, money, meetings, grants.
ROLE_PERMISSIONS = {
    "coordinator": {
        "committee": ["view", "add", "change"],
        "membership": ["view", "add", "change", "delete"],
        "operatingrules": ["view", "add", "change"],
        "allocation": ["view", "add", "change"],
        "fundingapplication": ["view"],
        "fundingrequest": ["view"],
        "meeting": ["view", "add", "change"],
        "agendaitem": ["view"],
        "decision": ["view"],
        "grant": ["view", "change"],
        "payment": ["view", "add"],
        "finalreport": ["view"],
    },
}


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Area committees")

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
