"""Who may do what in voting (django-rules)."""

from __future__ import annotations

import rules

from omakouvola.rules import is_coordinator, is_council, is_decision_maker, is_paper_vote_clerk

rules.add_perm("voting.record_paper_votes", rules.is_superuser | is_paper_vote_clerk)
rules.add_perm("voting.verify_identity", rules.is_superuser | is_paper_vote_clerk)
rules.add_perm("voting.decide_winners", rules.is_superuser | is_decision_maker)
rules.add_perm("voting.publish_results", rules.is_superuser | is_coordinator)
rules.add_perm(
    "voting.see_unpublished_results",
    rules.is_superuser | is_coordinator | is_decision_maker | is_council,
)
