"""The other rule's outcome and the fairness figures computed from the counted ballots."""

from __future__ import annotations

from decimal import Decimal

from voting.counting import ApprovalProfile, Reason, equal_shares, greedy, parse_pabulib
from voting.counting.explain import (
    combined_fairness,
    compare_rules,
    equal_shares_rounds,
    fairness,
    other_rule,
)


def _profile(projects, votes, budget) -> ApprovalProfile:
    rows = "\n".join(f"{p};{c}" for p, c in projects)
    ballots = "\n".join(f"{i + 1};{','.join(v)}" for i, v in enumerate(votes))
    text = (
        f"META\nkey;value\nbudget;{budget}\nvote_type;approval\n"
        f"PROJECTS\nproject_id;cost\n{rows}\nVOTES\nvoter_id;vote\n{ballots}\n"
    )
    return ApprovalProfile.from_election(parse_pabulib(text))


# A majority of 6 wants two large parks; a minority of 4 wants a small library corner.
PROJECTS = [("park1", 60), ("park2", 40), ("library", 30)]
VOTES = [["park1", "park2"]] * 6 + [["library"]] * 4
BUDGET = 100


def test_greedy_gives_everything_to_the_majority_and_equal_shares_funds_the_minority_too():
    profile = _profile(PROJECTS, VOTES, BUDGET)
    official = greedy(profile, seed=0)
    assert set(official.winners) == {"park1", "park2"}
    other = other_rule(profile, official)
    assert other.rule == "equal-shares/add1"
    assert "library" in other.winners
    assert other_rule(profile, other).rule == "greedy"


def test_fairness_counts_voters_with_a_funded_proposal_and_the_median_money_they_got():
    profile = _profile(PROJECTS, VOTES, BUDGET)
    figures = fairness(profile, ("park1", "park2"))
    assert figures == {
        "voters": 10,
        "with_funded": 6,
        "share_with_funded": "0.6000",
        "median_spent": "100",
        "spent_counts": [["0", 4], ["100", 6]],
    }
    # Four voters got 0 €, six got 100 €: the lower median of ten is the fifth, 100 €.
    assert fairness(profile, ("library",))["median_spent"] == "0"
    assert fairness(profile, ())["with_funded"] == 0


def test_compare_rules_is_json_ready_and_names_the_official_rule():
    profile = _profile(PROJECTS, VOTES, BUDGET)
    official = equal_shares(profile, seed=0)
    data = compare_rules(profile, official)
    assert data["official_rule"] == "equal-shares/add1"
    assert data["other"]["rule"] == "greedy"
    assert data["fairness"]["official"]["with_funded"] == 10
    assert data["fairness"]["other"]["with_funded"] == 6
    assert Decimal(data["fairness"]["official"]["median_spent"]) > 0


def test_equal_shares_rounds_are_in_funding_order_with_aggregate_payments():
    profile = _profile(PROJECTS, VOTES, BUDGET)
    result = equal_shares(profile, completion=None, seed=0)
    rounds = equal_shares_rounds(result)
    assert [o.position for o in rounds] == sorted(o.position for o in rounds)
    for o in rounds:
        assert o.reason is Reason.FUNDED_EQUAL_SHARES
        assert o.max_payment is not None and o.max_payment > 0
        assert o.supporters_paying_less is not None


def test_fairness_over_area_ballots_combines_their_voters_exactly():
    """The overall figures of a round with one ballot per area are those of all its voters
    taken together, not an average of the areas' figures (the median in particular)."""
    north = _profile(PROJECTS, VOTES, BUDGET)  # 6 voters got 100, 4 got 0
    south = _profile([("pool", 80), ("bench", 5)], [["pool"]] * 3 + [["bench"]] * 8, 90)
    north_figures = fairness(north, ("park1", "park2"))
    south_figures = fairness(south, ("pool", "bench"))
    assert south_figures["median_spent"] == "5"
    overall = combined_fairness([north_figures, south_figures])
    assert overall["voters"] == 21
    assert overall["with_funded"] == 17
    assert overall["share_with_funded"] == "0.8095"
    # 4 x 0, 8 x 5, 3 x 80, 6 x 100: the eleventh of 21 is 5 € (the mean of the two
    # medians would say 52.50 €).
    assert overall["median_spent"] == "5"
    assert overall["spent_counts"] == [["0", 4], ["5", 8], ["80", 3], ["100", 6]]
    assert combined_fairness([])["voters"] == 0
    assert combined_fairness([north_figures]) == north_figures
