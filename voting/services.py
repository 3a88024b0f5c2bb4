"""Every write in the voting app: ballots, casting, paper votes, results, the decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal, ProposalStatus
from omakouvola.formatting import format_euros
from omakouvola.models import PostalCode, User
from omakouvola.rules import is_coordinator, is_decision_maker, is_paper_vote_clerk
from omakouvola.services import audit_record, field_changes, notify

from . import eligibility, identity, secrecy
from .eligibility import (  # noqa: F401  (re-exported: the messages callers assert on)
    BIRTH_YEAR_NEEDED,
    IDENTITY_TOO_WEAK,
    NOT_RESIDENT,
    NOT_VERIFIED,
    OTHER_AREA_IN_GROUP,
    POSTAL_CODE_NEEDED,
    STRONG_NOT_AVAILABLE,
    TOO_OLD,
    TOO_YOUNG,
    VOTING_NOT_OPEN,
)
from .models import (
    Ballot,
    BallotGroup,
    BallotResult,
    Channel,
    IdentityLevel,
    PaperBatch,
    SelectionRule,
    VerifiedIdentity,
    Vote,
    VoteChoice,
    VoterRoll,
    WinnerDecision,
    age_band,
)

OVER_BUDGET = _("The proposals you chose cost %(total)s, more than the %(money)s available.")
TOO_FEW = _("Choose at least %(n)s proposals.")
TOO_MANY = _("Choose at most %(n)s proposals.")
NOT_ON_BALLOT = _("A proposal you chose is not on this ballot.")
BALLOT_LOCKED = _(
    "Votes have already been cast on this ballot, so its rules and proposals can no longer change."
)
ALREADY_VOTED = _("A vote by this person has already been recorded on this ballot.")
CLERK_ONLY = _("Only a paper-vote clerk can record paper votes.")
COORDINATOR_ONLY = _("Only the participation coordinator can do this.")
DECISION_MAKER_ONLY = _("Only the decision maker can confirm the winners.")
NOT_CLOSED = _("Voting has not closed yet.")
NO_RESULTS = _("The results must be published before the decision.")
ALREADY_DECIDED = _("The winners of this ballot have already been confirmed.")
DEPARTURE_NEEDS_REASON = _("Give a reason for each departure from the counted winners: %(titles)s.")
DECISION_OVER_BUDGET = _("The confirmed winners cost %(total)s, more than the %(money)s available.")
IDENTIFIER_REQUIRED = _("Enter the personal identifier from the identity document.")
ROW_REFUSED = _("Row %(row)s: %(why)s")
IDENTITY_TAKEN = _("This identity is already linked to another account.")

# Fields that cannot change once a vote exists: changing them would change what the
# votes already cast meant.
LOCKED_FIELDS = (
    "money",
    "area",
    "selection_rule",
    "min_choices",
    "max_choices",
    "counting_rule",
    "add1_step",
    "min_age",
    "max_age",
    "residency",
    "identity_level",
    "opens_at",
    "closes_at",
    "group",
    "tie_break_seed",
)
GROUP_LOCKED = _(
    "Votes have already been cast in this ballot group, so its rules and ballots can no "
    "longer change."
)
EXTENSION_NEEDS_REASON = _("Give a reason for extending the voting time.")
EXTENSION_NOT_LATER = _("An extension must move the closing time later than %(closes)s.")
EXTENSION_TOO_LATE = _("The results are already published: voting can no longer be extended.")


# ---------------------------------------------------------------------------------------
# Ballots
# ---------------------------------------------------------------------------------------


@transaction.atomic
def ballot_save(
    *,
    actor: User,
    ballot: Ballot,
    changed_fields: Iterable[str] = (),
    proposals: Iterable[Proposal] | None = None,
) -> Ballot:
    """Create or change a ballot; once a vote exists its rules and proposals are frozen."""
    if not (actor.is_superuser or is_coordinator(actor)):
        raise PermissionDenied(COORDINATOR_ONLY)
    changed = set(changed_fields)
    creating = ballot.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = Ballot.objects.select_for_update().get(pk=ballot.pk)
        has_votes = ballot_has_votes(stored)
        proposal_change = proposals is not None and {p.pk for p in proposals} != set(
            stored.proposals.values_list("pk", flat=True)
        )
        if has_votes and (changed & set(LOCKED_FIELDS) or proposal_change):
            raise ValidationError(BALLOT_LOCKED, code="locked")
        before = {name: getattr(stored, name) for name in changed}
        if ballot.group_id and ballot.group_id != stored.group_id and group_has_votes(ballot.group):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
    elif ballot.group_id and group_has_votes(ballot.group):
        raise ValidationError(GROUP_LOCKED, code="group_locked")
    ballot.full_clean()
    ballot.save()
    if proposals is not None:
        ballot.proposals.set(list(proposals))
    audit_record(
        actor=actor,
        action="ballot.create" if creating else "ballot.update",
        obj=ballot,
        changes=field_changes(before, {name: getattr(ballot, name) for name in changed}),
    )
    return ballot


def ballot_has_votes(ballot: Ballot) -> bool:
    """The voter roll is the one source of "has voted"; a vote freezes the ballot."""
    return VoterRoll.objects.filter(ballot=ballot).exists()


def group_has_votes(group: BallotGroup) -> bool:
    return VoterRoll.objects.filter(ballot__group=group).exists()


def proposal_is_frozen(proposal: Proposal) -> bool:
    """A proposal on a ballot that has votes keeps its cost (ideas asks through a hook)."""
    return VoterRoll.objects.filter(ballot__proposals=proposal).exists()


@transaction.atomic
def ballot_extend(*, actor: User, ballot: Ballot, closes_at: dt.datetime, reason: str) -> Ballot:
    """Move the closing time later, with a reason, even after votes: the one allowed change.

    Shortening is never allowed once voting has begun (it would silence late voters), and
    nothing moves after the results are published.
    """
    if not (actor.is_superuser or is_coordinator(actor)):
        raise PermissionDenied(COORDINATOR_ONLY)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not reason.strip():
        raise ValidationError(EXTENSION_NEEDS_REASON, code="reason_missing")
    if locked.results_published_at is not None or hasattr(locked, "decision"):
        raise ValidationError(EXTENSION_TOO_LATE, code="published")
    if closes_at <= locked.closes_at:
        raise ValidationError(
            EXTENSION_NOT_LATER,
            code="not_later",
            params={"closes": date_format(timezone.localtime(locked.closes_at), "DATETIME_FORMAT")},
        )
    before = locked.closes_at
    locked.closes_at = closes_at
    locked.full_clean()
    locked.save(update_fields=["closes_at"])
    audit_record(
        actor=actor,
        action="ballot.extend",
        obj=locked,
        changes=field_changes({"closes_at": before}, {"closes_at": closes_at}),
        note=reason.strip(),
    )
    return locked


@transaction.atomic
def ballot_group_save(
    *, actor: User, group: BallotGroup, changed_fields: Iterable[str] = ()
) -> BallotGroup:
    """Create or change a ballot group; once any of its ballots has a vote, its rule stays."""
    if not (actor.is_superuser or is_coordinator(actor)):
        raise PermissionDenied(COORDINATOR_ONLY)
    changed = set(changed_fields)
    creating = group.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = BallotGroup.objects.select_for_update().get(pk=group.pk)
        if changed & {"choice", "cycle"} and group_has_votes(stored):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
        before = {name: getattr(stored, name) for name in changed}
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action="ballot_group.create" if creating else "ballot_group.update",
        obj=group,
        changes=field_changes(before, {name: getattr(group, name) for name in changed}),
    )
    return group


# ---------------------------------------------------------------------------------------
# Eligibility
# ---------------------------------------------------------------------------------------


def _age_this_year(user: User, ballot: Ballot) -> int | None:
    return eligibility.age_in(ballot, user.birth_year)


def eligibility_problems(user: User, ballot: Ballot, at: dt.datetime | None = None) -> list[str]:
    """Why this person cannot vote on this ballot now, in their language; empty if they can.

    The same check (voting/eligibility.py) serves paper votes and imported sheets.
    """
    return eligibility.problems(ballot, eligibility.voter_of_user(user), at)


def validate_choices(ballot: Ballot, proposals: Sequence[Proposal]) -> None:
    """The ballot's rule: total cost within the money (knapsack) or a count in range."""
    on_ballot = set(ballot.proposals.values_list("pk", flat=True))
    if any(p.pk not in on_ballot for p in proposals):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    count = len(proposals)
    if count < ballot.min_choices:
        raise ValidationError(TOO_FEW, code="too_few", params={"n": ballot.min_choices})
    if ballot.selection_rule == SelectionRule.KNAPSACK:
        total = sum((p.cost for p in proposals), Decimal(0))
        if total > ballot.money:
            raise ValidationError(
                OVER_BUDGET,
                code="over_budget",
                params={"total": format_euros(total), "money": format_euros(ballot.money)},
            )
    elif ballot.max_choices is not None and count > ballot.max_choices:
        raise ValidationError(TOO_MANY, code="too_many", params={"n": ballot.max_choices})


# ---------------------------------------------------------------------------------------
# Casting
# ---------------------------------------------------------------------------------------


def _proposals(ballot: Ballot, proposal_ids: Iterable[int]) -> list[Proposal]:
    ids = {int(pk) for pk in proposal_ids}
    found = list(Proposal.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    return found


def _store_vote(
    ballot: Ballot,
    key: str,
    proposals: Sequence[Proposal],
    channel: str,
    batch: PaperBatch | None,
    today: dt.date,
) -> tuple[Vote, bool]:
    vote = Vote.objects.select_for_update().filter(ballot=ballot, voter_key=key).first()
    replaced = vote is not None
    if vote is None:
        vote = Vote(ballot=ballot, voter_key=key, channel=channel, batch=batch)
    # A changed vote gets a new receipt: the old code no longer shows as counted.
    vote.receipt_code = secrecy.new_receipt_code()
    vote.cast_on = today
    vote.save()
    vote.choices.all().delete()
    VoteChoice.objects.bulk_create([VoteChoice(vote=vote, proposal=p) for p in proposals])
    return vote, replaced


@transaction.atomic
def vote_cast(
    *,
    actor: User,
    ballot: Ballot,
    proposal_ids: Iterable[int],
    wants_results: bool = False,
    at: dt.datetime | None = None,
) -> Vote:
    """Cast or change a vote in one step; the receipt goes out by e-mail.

    The ballot row is locked for the duration, so parallel submissions are taken one at a
    time and the unique voter key keeps exactly one vote per person.
    """
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    problems = eligibility_problems(actor, locked, at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    proposals = _proposals(locked, proposal_ids)
    validate_choices(locked, proposals)
    verified = identity.identity_of(actor)
    identity_hash = verified.identity_hash if verified else ""
    if (
        identity_hash
        and VoterRoll.objects.filter(ballot=locked, identity_hash=identity_hash)
        .exclude(user=actor)
        .exists()
    ):
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    key = secrecy.voter_key(locked.pk, user_id=actor.pk, identity=identity_hash)
    today = timezone.localdate(at or timezone.now())
    vote, replaced = _store_vote(locked, key, proposals, Channel.WEB, None, today)
    VoterRoll.objects.update_or_create(
        ballot=locked,
        user=actor,
        defaults={
            "identity_hash": identity_hash,
            "channel": Channel.WEB,
            "age_band": age_band(_age_this_year(actor, locked)),
            "area": actor.area,
            "voted_on": today,
            "wants_results": wants_results,
        },
    )
    # The audit says that this person voted, never what they chose.
    audit_record(actor=actor, action="vote.change" if replaced else "vote.cast", obj=locked)
    notify(
        user=actor,
        template="voting_receipt",
        context={
            "ballot": locked,
            "receipt_code": vote.receipt_code,
            "proposals": sorted(proposals, key=lambda p: p.title),
        },
        sensitive=True,
    )
    return vote


@transaction.atomic
def identity_verify_in_person(*, clerk: User, user: User, identifier: str) -> VerifiedIdentity:
    """A clerk checked an identity document; the account reaches the in-person level."""
    if not (clerk.is_superuser or is_paper_vote_clerk(clerk)):
        raise PermissionDenied(CLERK_ONLY)
    if not identifier.strip():
        raise ValidationError(IDENTIFIER_REQUIRED, code="identifier_required")
    hashed = secrecy.identity_hash(eligibility.identifier_clean(identifier).value)
    if VerifiedIdentity.objects.filter(identity_hash=hashed).exclude(user=user).exists():
        raise ValidationError(IDENTITY_TAKEN, code="identity_taken")
    record, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "method": IdentityLevel.IN_PERSON,
            "identity_hash": hashed,
            "verified_by": clerk,
            "verified_at": timezone.now(),
        },
    )
    audit_record(actor=clerk, action="identity.verify_in_person", obj=user)
    return record


@transaction.atomic
def paper_vote_record(
    *,
    clerk: User,
    ballot: Ballot,
    identifier: str,
    proposal_ids: Iterable[int],
    birth_year: int | None = None,
    postal_code: str = "",
    at: dt.datetime | None = None,
) -> Vote:
    """A clerk enters a paper ballot after checking the voter's identity in person.

    Refused if the same person (by identifier) has voted already, on paper or online with
    an account that carries the same verified identity.
    """
    if not (clerk.is_superuser or is_paper_vote_clerk(clerk)):
        raise PermissionDenied(CLERK_ONLY)
    if not identifier.strip():
        raise ValidationError(IDENTIFIER_REQUIRED, code="identifier_required")
    voter = eligibility.paper_voter(
        identifier=identifier, birth_year=birth_year, postal_code=postal_code
    )
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    eligibility.check(locked, voter, at)
    hashed = voter.identity_hash
    if VoterRoll.objects.filter(ballot=locked, identity_hash=hashed).exists():
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    proposals = _proposals(locked, proposal_ids)
    validate_choices(locked, proposals)
    key = secrecy.voter_key(locked.pk, identity=hashed)
    today = timezone.localdate(at or timezone.now())
    area = voter.area
    age = eligibility.age_in(locked, voter.birth_year)
    try:
        with transaction.atomic():
            VoterRoll.objects.create(
                ballot=locked,
                identity_hash=hashed,
                channel=Channel.PAPER,
                age_band=age_band(age),
                area=area,
                voted_on=today,
            )
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED, code="already_voted") from None
    vote, _replaced = _store_vote(locked, key, proposals, Channel.PAPER, None, today)
    audit_record(actor=clerk, action="vote.paper", obj=locked)
    return vote


@transaction.atomic
def paper_votes_import(
    *, actor: User, ballot: Ballot, source_name: str, rows: Sequence[dict[str, Any]]
) -> PaperBatch:
    """Counted paper ballots from a CSV, all or nothing; each is marked with its batch.

    Rows carry no identity (the ballots were anonymous when counted): each gets a key of
    its own, and the roll records only the coarse statistics the sheet gives.
    """
    if not (actor.is_superuser or is_coordinator(actor) or is_paper_vote_clerk(actor)):
        raise PermissionDenied(CLERK_ONLY)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    refused = eligibility.import_problems(locked)
    if refused:
        raise ValidationError(refused, code="import_refused")
    batch = PaperBatch.objects.create(ballot=locked, imported_by=actor, source_name=source_name)
    on_ballot = {p.pk: p for p in locked.proposals.all()}
    areas = {pc.code: pc.area for pc in PostalCode.objects.select_related("area")}
    today = timezone.localdate()
    for number, row in enumerate(rows, start=1):
        proposals = [on_ballot[pk] for pk in row["proposal_ids"] if pk in on_ballot]
        if len(proposals) != len(row["proposal_ids"]):
            raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
        validate_choices(locked, proposals)
        sheet = eligibility.voter_on_sheet(
            age_band=row.get("age_band", ""), postal_code=row.get("postal_code", "")
        )
        row_problems = eligibility.problems(locked, sheet)
        if row_problems:
            raise ValidationError(
                ROW_REFUSED,
                code="ineligible",
                params={"row": number, "why": " ".join(row_problems)},
            )
        key = secrecy.voter_key(locked.pk, identity=f"batch:{batch.pk}:{number}")
        _store_vote(locked, key, proposals, Channel.IMPORT, batch, today)
        VoterRoll.objects.create(
            ballot=locked,
            channel=Channel.IMPORT,
            age_band=row.get("age_band", ""),
            area=areas.get(row.get("postal_code", "")),
            voted_on=today,
        )
    batch.count = len(rows)
    batch.save(update_fields=["count"])
    audit_record(actor=actor, action="vote.import", obj=locked, note=f"{source_name}: {len(rows)}")
    return batch


# ---------------------------------------------------------------------------------------
# Results and the decision
# ---------------------------------------------------------------------------------------


@transaction.atomic
def results_publish(*, actor: User, ballot: Ballot, at: dt.datetime | None = None) -> BallotResult:
    """Count the closed ballot by its rule and publish the result (recounts replace it)."""
    from .selectors import ballot_count, ballot_tally, ballot_turnout

    if not (actor.is_superuser or is_coordinator(actor)):
        raise PermissionDenied(COORDINATOR_ONLY)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if (at or timezone.now()) < locked.closes_at:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    if hasattr(locked, "decision"):
        raise ValidationError(ALREADY_DECIDED, code="decided")
    result, votes = ballot_count(locked)
    # The count reads the ballots one by one; the tally sums them in SQL. They must agree.
    tally = ballot_tally(locked)
    counted = {int(o.project_id): o.votes for o in result.proposals}
    if counted != tally:
        raise RuntimeError(f"count and tally disagree for ballot {locked.pk}")
    stored, _created = BallotResult.objects.update_or_create(
        ballot=locked,
        defaults={
            "rule": locked.counting_rule,
            "data": result.as_dict(),
            "turnout": ballot_turnout(locked),
            "votes_counted": votes,
            "counted_at": timezone.now(),
        },
    )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    audit_record(
        actor=actor,
        action="ballot.publish_results",
        obj=locked,
        note=f"winners: {', '.join(result.winners)}",
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
    if not (actor.is_superuser or is_decision_maker(actor)):
        raise PermissionDenied(DECISION_MAKER_ONLY)
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
    for pk, proposal in on_ballot.items():
        proposal.status = ProposalStatus.SELECTED if pk in chosen else ProposalStatus.NOT_SELECTED
        proposal.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="ballot.decide",
        obj=locked,
        note=f"{decision.decision_number}: {sorted(chosen)}",
    )
    _tell_about_decision(locked, decision, on_ballot, chosen)
    return decision


def _tell_about_decision(ballot, decision, on_ballot, chosen) -> None:
    told: set[int] = set()
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
