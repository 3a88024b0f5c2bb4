"""Demo follows: the demo resident follows an idea, a proposal, the pilot ballot and a
built project, and a young resident reads the weekly digest. Through the services (the
audit log and the rules see them as residents); safe to run again (the wanted state).

`seed_following(users=..., cycle=..., pilot_ballot=...)` is the one call for seed_demo.
"""

from __future__ import annotations

from budgets.models import Implementation
from following import services
from ideas.models import Idea, Proposal
from omakouvola.models import Cycle, User


def seed_following(*, users: dict[str, User], cycle: Cycle, pilot_ballot) -> dict[str, int]:
    aili = users["asukas@omakouvola.test"]
    niko = users["nuori@omakouvola.test"]
    items = [
        Idea.objects.public().filter(cycle=cycle).exclude(submitter=aili).order_by("pk").first(),
        Proposal.objects.public().filter(cycle=cycle).order_by("pk").first(),
        pilot_ballot,
        Implementation.objects.public().order_by("pk").first(),
    ]
    followed = 0
    for item in items:
        if item is not None:
            services.follow_set(actor=aili, item=item, follow=True)
            followed += 1
    built = items[3]
    if built is not None:
        services.follow_set(actor=niko, item=built, follow=True)
    services.delivery_set(actor=niko, delivery="weekly")
    return {"follows": followed + (built is not None)}
