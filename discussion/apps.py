from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "coordinator": {
        "comment": ["view"],
        "commentreport": ["view"],
        "discussionsettings": ["view", "add", "change"],
    },
    "city_team": {"comment": ["view"], "commentreport": ["view"], "discussionsettings": ["view"]},
}


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from omakouvola import panels, privacy, roles

        from . import privacy as mine
        from . import workqueues
        from .views import my_page_panel, thread_panel

        roles.connect(self, ROLE_PERMISSIONS)
        workqueues.register()
        privacy.register(
            self.label,
            export=mine.export,
            erase=mine.erase,
            retention=mine.retention,
            anonymise=mine.anonymise,
        )
        panels.register("idea", "discussion", thread_panel, order=50)
        panels.register("proposal", "discussion", thread_panel, order=50)
        panels.register("me", "discussion", my_page_panel, order=40)
