from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmaKouvolaConfig(AppConfig):
    name = "omakouvola"
    verbose_name = _("OmaKouvola: people, areas and cycles")
