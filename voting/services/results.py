"""Results and the decision: publishing the count, confirming the winners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import ProposalStatus
from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record, notify

from .. import secrecy
from ..models import (
    Ballot,
    BallotResult,
    Vote,
    VoterRoll,
    WinnerDecision,
)
from .mixing import _mix

NOT_CLOSED = _("Voting has not closed yet.")
NO_RESULTS = _("The results must be published before the decision.")
ALREADY_DECIDED = _("The winners of this ballot have already been confirmed.")
DEPARTURE_NEEDS_REASON = _("Give a reason for each departure from the counted winners: %(titles)s.")
DECISION_OVER_BUDGET = _("The confirmed winners cost %(total)s, more than the %(money)s available.")
COUNT_MISMATCH = "ballot %(ballot)s: %(votes)s counted votes for %(roll)s voter roll entries"


@transaction.atomic
def results_publish(
    *, actor: User, ballot: Ballot, passphrase: str, at: dt.datetime | None = None
) -> BallotResult:
    """Open the sealed votes with the election passphrase, count the closed ballot by its
    rule and publish the result (recounts replace it).

    The count keeps the votes the roll's sealed pointers name and drops the replaced ones;
    from then on the kept votes are final, the pointers are erased and the votes are
    rewritten in shuffled order, so not even the private key links a voter to a vote.
    """
    from ..selectors import ballot_count, ballot_explanation, ballot_turnout, votes_counted

    require(actor, "voting.publish_results", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if (at or timezone.now()) < locked.closes_at:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    if hasattr(locked, "decision"):
        raise ValidationError(ALREADY_DECIDED, code="decided")
    private_key = secrecy.election_key(
        passphrase=passphrase, salt=locked.key_salt, public_key=locked.public_key
    )
    counted_ids = votes_counted(locked, private_key)
    result, profile = ballot_count(locked, private_key=private_key)
    roll = VoterRoll.objects.filter(ballot=locked).count()
    if len(profile) != roll or len(counted_ids) != roll:
        raise RuntimeError(
            COUNT_MISMATCH % {"ballot": locked.pk, "votes": len(profile), "roll": roll}
        )
    Vote.objects.filter(ballot=locked).exclude(pk__in=counted_ids).delete()
    Vote.objects.filter(ballot=locked).update(final=True)
    VoterRoll.objects.filter(ballot=locked).update(sealed_pointer=None)
    _mix(locked.pk)
    stored, _created = BallotResult.objects.update_or_create(
        ballot=locked,
        defaults={
            "rule": locked.counting_rule,
            "data": {
                **result.as_dict(),
                "explanation": ballot_explanation(locked, result, profile),
            },
            "turnout": ballot_turnout(locked),
            "votes_counted": len(profile),
            "ballots": profile,
            "counted_at": timezone.now(),
        },
    )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_PUBLISH_RESULTS,
        obj=locked,
        note=f"votes counted: {len(profile)}; winners: {', '.join(result.winners)}",
    )
    return stored


@transaction.atomic
def winners_decide(
    *,
    actor: User,
    ballot: Ballot,
    decided_on: dt.date,
    decision_number: str,
    rationale: str,
    winner_ids: Iterable[int],
    departure_reasons: dict[int, str] | None = None,
) -> WinnerDecision:
    """The decision maker confirms the winners; any departure from the count needs a reason.

    Confirmed proposals become "selected for implementation", the rest "not selected";
    submitters of the source ideas and voters who asked are told.
    """
    require(actor, "voting.decide_winners", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if hasattr(locked, "decision"):
        raise ValidationError(ALREADY_DECIDED, code="decided")
    result = getattr(locked, "result", None)
    if result is None:
        raise ValidationError(NO_RESULTS, code="no_results")
    reasons = {int(k): v.strip() for k, v in (departure_reasons or {}).items() if v.strip()}
    on_ballot = {p.pk: p for p in locked.proposals.all()}
    chosen = {int(pk) for pk in winner_ids if int(pk) in on_ballot}
    computed = {int(pk) for pk in result.data["winners"]}
    departures = []
    missing = []
    for pk in sorted(chosen ^ computed):
        action = "added" if pk in chosen else "removed"
        if pk not in reasons:
            missing.append(on_ballot[pk].title)
        else:
            departures.append({"proposal": pk, "action": action, "reason": reasons[pk]})
    if missing:
        raise ValidationError(
            DEPARTURE_NEEDS_REASON, code="reason_missing", params={"titles": ", ".join(missing)}
        )
    total = sum((on_ballot[pk].cost for pk in chosen), Decimal(0))
    if total > locked.money:
        raise ValidationError(
            DECISION_OVER_BUDGET,
            code="over_budget",
            params={"total": format_euros(total), "money": format_euros(locked.money)},
        )
    decision = WinnerDecision.objects.create(
        ballot=locked,
        decided_by=actor,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        rule_used=result.rule,
        rationale=rationale.strip(),
        computed_winners=sorted(computed),
        departures=departures,
    )
    decision.confirmed.set([on_ballot[pk] for pk in chosen])
    hooks.announce(hooks.WINNERS_DECIDED, ballot_id=locked.pk)
    for pk, proposal in on_ballot.items():
        proposal.status = ProposalStatus.SELECTED if pk in chosen else ProposalStatus.NOT_SELECTED
        proposal.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_DECIDE,
        obj=locked,
        note=f"{decision.decision_number}: {sorted(chosen)}",
    )
    _tell_about_decision(locked, decision, on_ballot, chosen)
    return decision


def _tell_about_decision(ballot, decision, on_ballot, chosen) -> None:
    told: set[tuple[int, int]] = set()
    for pk, proposal in on_ballot.items():
        for idea in proposal.source_ideas.select_related("submitter"):
            if idea.submitter_id and (idea.submitter_id, pk) not in told:
                told.add((idea.submitter_id, pk))
                notify(
                    user=idea.submitter,
                    template="voting_idea_decided",
                    context={
                        "ballot": ballot,
                        "proposal": proposal,
                        "idea": idea,
                        "selected": pk in chosen,
                    },
                )
    voters = User.objects.filter(
        pk__in=VoterRoll.objects.filter(ballot=ballot, wants_results=True).values("user")
    )
    for voter in voters:
        notify(
            user=voter,
            template="voting_results",
            essential=False,
            context={
                "ballot": ballot,
                "decision": decision,
                "winners": [on_ballot[pk] for pk in sorted(chosen)],
            },
        )
