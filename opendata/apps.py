from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """The read-only open data API: sits on top, reads every app through its selectors."""

    name = "opendata"
    verbose_name = _("Open data")
