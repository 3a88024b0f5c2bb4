"""Who may do what in voting (django-rules)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from omakouvola.rules import (
    COORDINATOR_ONLY,
    add_perm,
    is_coordinator,
    is_council,
    is_decision_maker,
    is_lead_staff,
    is_paper_vote_clerk,
    is_staff_member,
)

CLERK_ONLY = _("Only a paper-vote clerk can record paper votes.")
DECISION_MAKER_ONLY = _("Only the decision maker can confirm the winners.")

is_ballot_manager = is_lead_staff
is_clerk = rules.is_superuser | is_paper_vote_clerk

# Who may vote at all is the one eligibility check (voting/eligibility.py), with its
# reasons; the rule only asks for a signed-in person.
add_perm("voting.cast_vote", rules.is_authenticated)
add_perm("voting.record_paper_votes", is_clerk, message=CLERK_ONLY, staff=True)
add_perm("voting.verify_identity", is_clerk, message=CLERK_ONLY, staff=True)
add_perm(
    "voting.import_paper_votes",
    is_ballot_manager | is_paper_vote_clerk,
    message=CLERK_ONLY,
    staff=True,
)
add_perm("voting.manage_ballots", is_ballot_manager, message=COORDINATOR_ONLY, staff=True)
# The city team follows the ballots and their results in the admin; the coordinator runs them.
add_perm("voting.view_ballots", is_staff_member, staff=True)
add_perm(
    "voting.decide_winners",
    rules.is_superuser | is_decision_maker,
    message=DECISION_MAKER_ONLY,
    staff=True,
)
add_perm("voting.publish_results", is_ballot_manager, message=COORDINATOR_ONLY, staff=True)
add_perm(
    "voting.see_unpublished_results",
    rules.is_superuser | is_coordinator | is_decision_maker | is_council,
    staff=True,
)
