from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The coordinator runs the cycle: areas, cycles and user accounts; reads the logs.
ROLE_PERMISSIONS = {
    "coordinator": {
        "user": ["view", "add", "change"],
        "area": ["view", "add", "change"],
        "postalcode": ["view", "add", "change", "delete"],
        "cycle": ["view", "add", "change"],
        "auditentry": ["view"],
        "notification": ["view"],
    },
    "city_team": {"area": ["view"], "cycle": ["view"]},
}


class OmaKouvolaConfig(AppConfig):
    name = "omakouvola"
    verbose_name = _("OmaKouvola: people, areas and cycles")

    def ready(self) -> None:
        from . import roles

        roles.connect(self, ROLE_PERMISSIONS)
