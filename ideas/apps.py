from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_SCREENING = {
    "idea": ["view", "add", "change"],
    "workshop": ["view", "add", "change"],
    "workshopregistration": ["view", "change"],
    "proposal": ["view", "add", "change"],
    "volunteerpledge": ["view"],
    "assessment": ["view", "add", "change"],
    "sustainabilityassessment": ["view", "add", "change"],
    "ideaimage": ["view"],
    "ideastatuschange": ["view"],
}
ROLE_PERMISSIONS = {
    "coordinator": {**_SCREENING, "theme": ["view", "add", "change"]},
    "city_team": {**_SCREENING, "theme": ["view"]},
    # Experts see only their assigned ideas (the admin filters) and record assessments.
    "sector_expert": {
        "idea": ["view", "change"],
        "assessment": ["view", "add", "change"],
        "sustainabilityassessment": ["view", "add", "change"],
        "ideaimage": ["view"],
        "ideastatuschange": ["view"],
    },
}


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from omakouvola import media, panels, roles

        from .views import my_page_panel

        roles.connect(self, ROLE_PERMISSIONS)
        panels.register("me", "ideas", my_page_panel, order=10)
        media.register_public_folder("ideas/")  # idea images
        media.register_public_folder("proposals/")

        from django.db.models.signals import post_delete, post_save

        from omakouvola.models import Area, Cycle

        from .models import Theme
        from .selectors import filter_choices_forget

        for model in (Cycle, Theme, Area):
            for signal in (post_save, post_delete):
                signal.connect(
                    filter_choices_forget,
                    sender=model,
                    dispatch_uid=f"ideas-choices-{model.__name__}-{signal is post_save}",
                )

        from . import workqueues

        workqueues.register()

        from omakouvola import privacy

        from . import privacy as mine

        privacy.register(
            self.label,
            export=mine.export,
            erase=mine.erase,
            retention=getattr(mine, "retention", None),
            anonymise=mine.anonymise,
        )
