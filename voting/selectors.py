"""Reads of the voting app: ballots, the count, turnout, receipts, Pabulib data."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from nacl.public import PrivateKey

from ideas.models import Proposal
from ideas.selectors import off_map_count, proposal_location, proposal_map_features
from omakouvola.models import Cycle

from . import secrecy
from .counting import rules as counting
from .counting.outcome import CountResult
from .counting.pabulib import Election, Project
from .counting.pabulib import Vote as PabulibVote
from .models import Ballot, BallotResult, Vote, VoterRoll
from .secrecy import normalise_receipt

KEY_NEEDED = _("The votes are sealed until the results are published: give the passphrase.")


def ballots_of_cycle(cycle: Cycle | None) -> QuerySet[Ballot]:
    ballots = Ballot.objects.select_related("area", "group", "cycle").annotate(
        proposal_count=Count("proposals", distinct=True)
    )
    if cycle is not None:
        ballots = ballots.filter(cycle=cycle)
    return ballots.order_by("group__name", "area__name", "name")


def ballot_with_proposals(pk: int) -> Ballot:
    return (
        Ballot.objects.select_related("area", "group", "cycle")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("area")
                .annotate(**proposal_location())
                .order_by("cost", "title"),
            )
        )
        .get(pk=pk)
    )


def proposals_off_map(ballot: Ballot) -> int:
    """How many of the ballot page's proposals (read by `ballot_with_proposals`) the map
    leaves out because they have no point or are not public; the page says so."""
    return off_map_count(ballot.proposals.all())


def ballot_map_features(ballot: Ballot) -> dict[str, Any]:
    """GeoJSON of the ballot's public proposals that have a place, in one query."""
    return proposal_map_features(Proposal.objects.public().filter(ballots=ballot))


def ballot_for_casting(pk: int) -> Ballot:
    """The ballot a vote is posted to; the cast service reads it again under its lock."""
    return Ballot.objects.get(pk=pk)


def roll_entry_of(ballot: Ballot, user) -> VoterRoll | None:
    """Whether (and on which day) this account voted; what it chose is sealed."""
    if not user.is_authenticated:
        return None
    return VoterRoll.objects.filter(ballot=ballot, user=user).first()


def votes_counted(ballot: Ballot, private_key: PrivateKey) -> set[uuid.UUID]:
    """The ids of the votes that count: final ones, and those a roll pointer names.

    A vote no pointer names was replaced by a later one of the same voter.
    """
    pointers = VoterRoll.objects.filter(ballot=ballot, sealed_pointer__isnull=False)
    named = {
        secrecy.open_pointer(private_key, sealed)
        for sealed in pointers.values_list("sealed_pointer", flat=True).iterator(chunk_size=2000)
        if sealed is not None  # sealed_pointer__isnull=False
    }
    final = set(Vote.objects.filter(ballot=ballot, final=True).values_list("pk", flat=True))
    existing = set(Vote.objects.filter(ballot=ballot, pk__in=named).values_list("pk", flat=True))
    return final | existing


def ballot_profile(ballot: Ballot, private_key: PrivateKey) -> list[list[int]]:
    """The counted votes opened, each a sorted list of proposal ids, in shuffled order.

    Opened in memory only and never stored beside anything that names a voter.
    """
    counted = votes_counted(ballot, private_key)
    sealed = Vote.objects.filter(ballot=ballot, pk__in=counted).values_list("sealed", flat=True)
    profile = [sorted(secrecy.open_choices(private_key, s)) for s in sealed.iterator(2000)]
    secrets.SystemRandom().shuffle(profile)
    return profile


def ballot_tally(ballot: Ballot) -> dict[int, int]:
    """Votes per proposal as published (the sealed votes cannot be summed in SQL)."""
    result = BallotResult.objects.filter(ballot=ballot).first()
    counts: dict[int, int] = {}
    for chosen in result.ballots if result else []:
        for pk in chosen:
            counts[int(pk)] = counts.get(int(pk), 0) + 1
    return {p.pk: counts.get(p.pk, 0) for p in ballot.proposals.all()}


def ballot_turnout(ballot: Ballot) -> dict[str, object]:
    """Turnout by area, age band and channel from the voter roll (SQL aggregates)."""
    roll = VoterRoll.objects.filter(ballot=ballot).order_by()

    def by(field: str) -> dict[str, int]:
        return {str(k or ""): n for k, n in roll.values_list(field).annotate(n=Count("id"))}

    return {
        "total": roll.count(),
        "by_area": by("area__name"),
        "by_age_band": by("age_band"),
        "by_channel": by("channel"),
    }


def _profile_for_export(ballot: Ballot, private_key: PrivateKey | None) -> list[list[int]]:
    if private_key is not None:
        return ballot_profile(ballot, private_key)
    result = BallotResult.objects.filter(ballot=ballot).first()
    if result is None:
        raise ValueError(str(KEY_NEEDED))
    profile = [list(chosen) for chosen in result.ballots]
    secrets.SystemRandom().shuffle(profile)
    return profile


def ballot_election(
    ballot: Ballot, *, selected: set[int] | None = None, private_key: PrivateKey | None = None
) -> Election:
    """The ballot as a Pabulib election: projects by proposal id, anonymous voters.

    The votes are opened with the private key, or after publication taken from the
    published result; either way in shuffled order.
    """
    proposals = list(ballot.proposals.order_by("pk"))
    projects = tuple(
        Project(
            project_id=str(p.pk),
            cost=p.cost,
            selected=(1 if p.pk in selected else 0) if selected is not None else None,
            extra={"name": p.title, "area": p.area.name if p.area else ""},
        )
        for p in proposals
    )
    profile = _profile_for_export(ballot, private_key)
    # Voter ids in the file are sequence numbers in shuffled order, not a vote's id.
    votes = tuple(
        PabulibVote(voter_id=str(n), projects=tuple(str(pk) for pk in chosen))
        for n, chosen in enumerate(profile, start=1)
    )
    meta = {
        "description": ballot.name,
        "country": "Finland",
        "unit": "Kouvola",
        "instance": str(ballot.cycle.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(ballot.money),
        "vote_type": "approval",
        "rule": "greedy" if ballot.counting_rule == "greedy" else "equalshares/add1",
        "currency": "EUR",
        "date_begin": ballot.opens_at.date().isoformat(),
        "date_end": ballot.closes_at.date().isoformat(),
    }
    if ballot.selection_rule == "approval" and ballot.max_choices:
        meta["max_length"] = str(ballot.max_choices)
    return Election(meta=meta, projects=projects, votes=votes)


def ballot_count(
    ballot: Ballot, rule: str | None = None, *, private_key: PrivateKey | None = None
) -> tuple[CountResult, list[list[int]]]:
    """Count the ballot by its rule (or another), with the recorded tie-break seed.

    Returns the result and the counted votes (shuffled, anonymous) it was counted from.
    """
    election = ballot_election(ballot, private_key=private_key)
    result = counting.count(
        election,
        rule or ballot.counting_rule,
        seed=ballot.tie_break_seed,
        step=Decimal(ballot.add1_step),
    )
    return result, [sorted(int(pk) for pk in v.projects) for v in election.votes]


def ballot_explanation(
    ballot: Ballot, result: CountResult, profile: list[list[int]]
) -> dict[str, object]:
    """What the other rule would have funded and both rules' fairness figures, from the
    counted anonymous ballots; stored with the result at publication (JSON-ready)."""
    from .counting.explain import compare_rules
    from .counting.profile import ApprovalProfile

    projects = tuple(
        Project(project_id=str(p.pk), cost=p.cost) for p in ballot.proposals.order_by("pk")
    )
    votes = tuple(
        PabulibVote(voter_id=str(n), projects=tuple(str(pk) for pk in chosen))
        for n, chosen in enumerate(profile, start=1)
    )
    election = Election(
        meta={"budget": str(ballot.money), "vote_type": "approval"},
        projects=projects,
        votes=votes,
    )
    return compare_rules(
        ApprovalProfile.from_election(election), result, step=Decimal(ballot.add1_step)
    )


def results_explained(result: BallotResult, proposals: dict[str, Proposal]) -> dict | None:
    """The stored explanation shaped for the results page (no queries: all in the result).

    ``other``: the non-official rule's name, funded proposals and total; ``rounds``: Equal
    Shares' rounds in order (whichever rule was official), with the most a supporter paid and
    how many paid less; ``fairness``: per rule ("official", "other") the percentage of voters
    with a funded proposal they voted for and the median money on what each voted for.
    """
    from .models import CountingRule

    explanation = result.data.get("explanation")
    if not explanation:
        return None
    other = explanation["other"]
    names = dict(CountingRule.choices)
    equal_shares = result.data if result.rule.startswith("equal-shares") else other
    rounds = sorted(
        (
            {
                "proposal": proposals[o["project_id"]],
                "position": o["position"],
                "max_payment": Decimal(o["max_payment"]),
                "paying_less": o["supporters_paying_less"] or 0,
                "votes": o["votes"],
            }
            for o in equal_shares["proposals"]
            if o["reason"] == "funded_equal_shares" and o["project_id"] in proposals
        ),
        key=lambda r: r["position"],
    )
    funded = [proposals[pid] for pid in other["winners"] if pid in proposals]
    return {
        "other_rule": names.get(other["rule"], other["rule"]),
        "official_is_equal_shares": result.rule.startswith("equal-shares"),
        "other_funded": funded,
        "other_total": Decimal(other["total_cost"]),
        "rounds": rounds,
        "fairness": {key: _fairness_shown(f) for key, f in explanation["fairness"].items()},
    }


def _fairness_shown(figures: dict) -> dict:
    """Stored fairness figures (see ``counting.explain.fairness``) as the page shows them."""
    return {
        "percent": round(Decimal(figures["share_with_funded"]) * 100),
        "with_funded": figures["with_funded"],
        "voters": figures["voters"],
        "median": Decimal(figures["median_spent"]),
    }


def area_fairness(ballot: Ballot) -> dict | None:
    """Fairness per area and overall for a ballot that is one of a round's area ballots.

    ``rows``: one per ballot of the ballot's group whose result is published (this ballot's
    always), with the area's (or ballot's) name, whether it is this ballot, and the official
    and other rule's figures as :func:`results_explained` shapes them; ``overall``: the same
    over all their voters together (each voter votes on one area ballot of a group), or
    ``None`` when a result was stored before the figures kept their distribution. ``None``
    when the ballot is in no group or no other ballot of it is published. One query.
    """
    from .counting.explain import combined_fairness

    if ballot.group_id is None:
        return None
    results = (
        BallotResult.objects.filter(ballot__group_id=ballot.group_id)
        .filter(Q(ballot__results_published_at__isnull=False) | Q(ballot=ballot))
        .select_related("ballot__area")
        .order_by("ballot__name", "ballot__pk")
    )
    rows = []
    parts: dict[str, list[dict]] = {"official": [], "other": []}
    for result in results:
        figures = (result.data.get("explanation") or {}).get("fairness")
        if not figures:
            continue
        area = result.ballot.area
        rows.append(
            {
                "name": area.localized_name if area else result.ballot.name,
                "current": result.ballot_id == ballot.pk,
                **{key: _fairness_shown(figures[key]) for key in parts},
            }
        )
        for key, found in parts.items():
            found.append(figures[key])
    if len(rows) < 2:
        return None
    overall = None
    if all("spent_counts" in f for found in parts.values() for f in found):
        overall = {key: _fairness_shown(combined_fairness(found)) for key, found in parts.items()}
    return {"rows": rows, "overall": overall}


def receipt_counted(ballot: Ballot, code: str) -> bool:
    """Whether a receipt code belongs to a vote that was counted on this ballot.

    Known only once the results are published: until then nobody can tell a replaced
    vote from a counted one."""
    normalised = normalise_receipt(code)
    return (
        bool(normalised)
        and Vote.objects.filter(ballot=ballot, receipt_code=normalised, final=True).exists()
    )


def ballot_for_my_vote(pk: int) -> Ballot:
    """The ballot, its published result and its proposals, in a constant number of queries."""
    return (
        Ballot.objects.select_related("result")
        .prefetch_related(Prefetch("proposals", queryset=Proposal.objects.order_by("title")))
        .get(pk=pk)
    )


def published_choices(result: BallotResult) -> dict[str, object]:
    """What the voter's browser needs to say how their proposals fared: the winners and
    how many counted ballots chose each exact set (public facts: the Pabulib file has
    them), never anything per voter."""
    sets: dict[str, int] = {}
    for chosen in result.ballots:
        key = ",".join(str(pk) for pk in sorted(int(p) for p in chosen))
        sets[key] = sets.get(key, 0) + 1
    return {"winners": [int(w) for w in result.data.get("winners", [])], "sets": sets}


def ballots_voted_by(user) -> QuerySet[VoterRoll]:
    """The ballots this person is on the voter roll of, for their own page: which ballot
    and which day, never the vote (the sealed pointer is not even loaded). One query."""
    return (
        VoterRoll.objects.filter(user=user)
        .select_related("ballot")
        .only("voted_on", "ballot__id", "ballot__name")
        .order_by("-voted_on", "ballot__name")
    )
