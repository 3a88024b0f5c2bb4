from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The coordinator keeps the money records; the city team follows the building work.
ROLE_PERMISSIONS = {
    "coordinator": {
        "fundingsource": ["view", "add", "change"],
        "appropriation": ["view", "add", "change"],
        "appropriationshare": ["view", "add", "change", "delete"],
        "commitment": ["view", "add"],
        "implementation": ["view", "add", "change"],
        "milestone": ["view", "add", "change", "delete"],
        "progressnote": ["view", "add", "change"],
        "implementationphoto": ["view", "add", "change", "delete"],
        "expense": ["view", "add"],
        "volunteerwork": ["view", "add"],
        "report": ["view"],
    },
    "city_team": {
        "appropriation": ["view"],
        "commitment": ["view"],
        "implementation": ["view", "change"],
        "milestone": ["view", "add", "change", "delete"],
        "progressnote": ["view", "add", "change"],
        "implementationphoto": ["view", "add", "change", "delete"],
        "expense": ["view", "add"],
        "volunteerwork": ["view", "add"],
        "report": ["view"],
    },
    "sector_expert": {
        "implementation": ["view", "change"],
        "milestone": ["view", "add", "change"],
        "progressnote": ["view", "add"],
        "expense": ["view"],
    },
}


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self) -> None:
        from omakouvola import roles

        roles.connect(self, ROLE_PERMISSIONS)
        connect_implementation_hooks()


def connect_implementation_hooks() -> None:
    """Implementation records follow the decisions that make them.

    budgets sits above voting and committees, which must not import it. So instead of the
    deciding services (voting.winners_decide, committees' grant decision) calling budgets,
    budgets listens to the rows they save and, once their transaction commits, creates the
    records with its own services. Any year: a decision for next year's ballot or a grant
    decided in December gets its record the moment it is made.
    """
    from django.db import transaction
    from django.db.models.signals import post_save

    from committees.models import Grant
    from voting.models import WinnerDecision

    def winners_decided(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            from . import services

            ballot_id = instance.ballot_id
            transaction.on_commit(lambda: services.on_winners_decided(ballot_id=ballot_id))

    def grant_made(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            from . import services

            grant_id = instance.pk
            transaction.on_commit(lambda: services.on_grant_made(grant_id=grant_id))

    post_save.connect(
        winners_decided, sender=WinnerDecision, weak=False, dispatch_uid="budgets.winners"
    )
    post_save.connect(grant_made, sender=Grant, weak=False, dispatch_uid="budgets.grant")
