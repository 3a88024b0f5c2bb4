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
        from omakouvola import tasking

        tasking.register_stuck_finder("committees.tasks.decision_letter_task", _unbuilt_letters)

        from django.db.models.signals import post_delete, post_save

        from .models import Membership

        for signal in (post_save, post_delete):
            # A chair's "My tasks" link in the header (omakouvola.navigation).
            signal.connect(
                _forget_member_links,
                sender=Membership,
                dispatch_uid=f"committees-nav-{signal is post_save}",
            )


def _forget_member_links(sender, instance, **_kwargs) -> None:
    from omakouvola import navigation

    navigation.forget(instance.user_id)


def _unbuilt_letters(cutoff):
    """Decisions from before the cutoff's day whose letter was never built."""
    from .models import Decision

    ids = Decision.objects.filter(letter_pdf="", decided_on__lt=cutoff.date()).values_list(
        "pk", flat=True
    )
    return ([pk] for pk in ids)
