from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = _("Following")

    def ready(self) -> None:
        from omakouvola import hooks, panels, privacy, tasking

        from . import privacy as mine
        from . import services
        from .tasks import news_deliver_task, unsent_news
        from .views import follow_panel, my_page_panel, outcome_panel

        privacy.register(self.label, export=mine.export, erase=mine.erase, retention=mine.retention)
        hooks.on(hooks.ITEM_NEWS, services.news_record)
        tasking.register_stuck_finder(news_deliver_task.name, unsent_news)
        for kind in ("idea", "proposal", "ballot", "implementation"):
            panels.register(kind, "following", follow_panel, order=10)
        panels.register("vote_receipt", "following", outcome_panel, order=10)
        panels.register("me", "following", my_page_panel, order=20)
