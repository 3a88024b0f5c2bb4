"""Equal Shares never crashes on tiny payments and agrees with pabutools on random elections.

The random comparison runs 200 seeded elections by default and 1 200 with COUNTING_SLOW=1.
pabutools (GPL) is a dev-only reference imported here only.
"""

from __future__ import annotations

import os
import random
from decimal import Decimal

import numpy as np
import pytest

from voting.counting import ApprovalProfile, Reason, TieBreak, count, equal_shares, parse_pabulib

RANDOM_ELECTIONS = 1200 if os.environ.get("COUNTING_SLOW") else 200


def _file(projects: list[tuple[str, int | str]], votes: list[list[str]], budget) -> str:
    project_rows = "\n".join(f"{p};{c}" for p, c in projects)
    vote_rows = "\n".join(f"{i + 1};{','.join(v)}" for i, v in enumerate(votes))
    return (
        f"META\nkey;value\nbudget;{budget}\nvote_type;approval\n"
        f"PROJECTS\nproject_id;cost\n{project_rows}\nVOTES\nvoter_id;vote\n{vote_rows}\n"
    )


@pytest.mark.parametrize(
    ("cost", "supporters", "budget"),
    [(1, 250, 1000), (20, 4000, 10000), (1, 3000, 1000)],
    ids=["1-euro-250-supporters", "20-euros-4000-supporters", "1-euro-3000-supporters"],
)
@pytest.mark.parametrize("completion", [None, "add1", "add1u"])
def test_equal_shares_funds_a_proposal_whose_payment_is_below_a_cent(
    cost, supporters, budget, completion
):
    """The old code divided the cost by the payment rounded to the cent (0.00): DivisionByZero,
    and publishing the results was a 500."""
    text = _file([("A", cost), ("B", budget)], [["A", "B"]] * supporters, budget)
    result = equal_shares(parse_pabulib(text), completion=completion)
    a = result.proposal("A")
    assert a.funded
    assert 0 < a.max_payment <= Decimal("0.01")
    assert a.effective_votes == Decimal(supporters).quantize(Decimal("0.01"))
    assert "A" in result.winners
    # The explanation shown on the results page renders too.
    assert str(a.max_payment) in a.explain()


def test_count_by_rule_name_survives_tiny_payments():
    text = _file([("A", 1), ("B", 999)], [["A"]] * 250 + [["B"]] * 10, 1000)
    result = count(parse_pabulib(text), "equal-shares/add1")
    assert result.winners[0] == "A"


def _random_election(rng: random.Random) -> str:
    n_projects = rng.randint(1, 9)
    n_voters = rng.randint(1, 40)
    costs = [rng.choice([1, 2, 5, 10, 20, 50, 100, 150, 250, 400]) for _ in range(n_projects)]
    projects = [(f"p{i}", c) for i, c in enumerate(costs)]
    # Few distinct cost levels and small electorates make exact ties common.
    votes = []
    for _ in range(n_voters):
        k = rng.randint(1, n_projects)
        votes.append(sorted(rng.sample([p for p, _ in projects], k)))
    budget = rng.choice([10, 50, 100, 300, 500, 1000, sum(costs)])
    return _file(projects, votes, budget)


def test_equal_shares_add1_matches_pabutools_on_random_elections(tmp_path):
    """Same winners as pabutools' exact-fraction implementation, and never an exception."""
    pabulib = pytest.importorskip("pabutools.election")
    rules = pytest.importorskip("pabutools.rules")
    rng = random.Random(20261201)
    mismatches = []
    for n in range(RANDOM_ELECTIONS):
        text = _random_election(rng)
        path = tmp_path / f"{n}.pb"
        path.write_text(text)
        instance, profile = pabulib.parse_pabulib(str(path))
        reference = rules.method_of_equal_shares(
            instance, profile, sat_class=pabulib.Cost_Sat, voter_budget_increment=1
        )
        ours = equal_shares(parse_pabulib(text), tie_break=TieBreak.PROJECT_ID)
        if set(ours.winners) != {p.name for p in reference}:
            mismatches.append((n, sorted(ours.winners), sorted(p.name for p in reference)))
    assert mismatches == []


def test_add1_skipping_shares_gives_the_step_by_step_result_on_random_elections():
    """The Add1 loop skips shares certified to give the same outcome; on random elections
    (small electorates, many exact ties) that changes nothing against running every step."""
    rng = random.Random(15)
    for _ in range(RANDOM_ELECTIONS):
        election = parse_pabulib(_random_election(rng))
        for completion in ("add1", "add1u"):
            fast = equal_shares(election, completion=completion, tie_break=TieBreak.PROJECT_ID)
            stepwise = equal_shares(
                election,
                completion=completion,
                tie_break=TieBreak.PROJECT_ID,
                skip_stable_shares=False,
            )
            assert fast.winners == stepwise.winners
            assert fast.per_voter_budget == stepwise.per_voter_budget
            assert fast.proposals == stepwise.proposals


def _grouped_one_by_one(election) -> tuple[list[float], list[list[int]]]:
    """The grouping written plainly: each ballot as a sorted set, counted in first-seen order."""
    from collections import Counter

    index = {pid: i for i, pid in enumerate(election.project_ids)}
    ballots = Counter(tuple(sorted({index[p] for p in v.projects})) for v in election.votes)
    members: list[list[int]] = [[] for _ in index]
    for group, ballot in enumerate(ballots):
        for p in ballot:
            members[p].append(group)
    return [float(w) for w in ballots.values()], members


def test_ballots_are_grouped_as_one_by_one_on_random_and_awkward_elections():
    """The vectorised grouping (bit rows sorted together) gives the very groups, weights and
    numbering of the plain loop: empty ballots, a project named twice on a ballot, the same
    ballot in another order, no voters at all, and more than 64 projects (two words a row)."""
    rng = random.Random(8)
    texts = [_random_election(rng) for _ in range(RANDOM_ELECTIONS)]
    many = [(f"p{i}", 10) for i in range(70)]
    texts += [
        _file([("A", 1), ("B", 2)], [["B", "A"], [], ["A", "B"], ["A", "A"], ["A"], []], 5),
        _file([("A", 1)], [], 5),
        _file(many, [["p69", "p0"], ["p64"], ["p0", "p69"], ["p63", "p64"], ["p64"]], 50),
    ]
    for text in texts:
        election = parse_pabulib(text)
        profile = ApprovalProfile.from_election(election)
        weights, members = _grouped_one_by_one(election)
        assert profile.group_weights.tolist() == weights
        assert [s.tolist() for s in profile.supporters] == members
        assert profile.votes == tuple(
            len([v for v in election.votes if p in v.projects]) for p in election.project_ids
        )


def test_a_run_that_follows_a_lower_share_proves_every_share_in_between():
    """``run(s2, follow=run(s1))`` says ``follows`` only when every share from s1 to s2 funds
    the same proposals in the same order: checked share by share on random elections,
    where exact ties, near-ties and supporters running out of money are common. The search
    in Add1 skips those shares unrun, so a wrong proof would change results silently."""
    from fractions import Fraction

    from voting.counting.equal_shares import _Engine
    from voting.counting.outcome import tie_break_ranks

    rng = random.Random(2026)
    proven = 0
    for _ in range(RANDOM_ELECTIONS):
        profile = ApprovalProfile.from_election(parse_pabulib(_random_election(rng)))
        if profile.n_voters == 0:
            continue
        ranks, _seed = tie_break_ranks(
            profile.ids, profile.costs, profile.votes, TieBreak.PROJECT_ID, None
        )
        engine = _Engine(profile, ranks)
        start = Fraction(profile.budget) / profile.n_voters
        order = {}

        def funded(k, engine=engine, start=start, order=order):
            if k not in order:
                order[k] = [r.project for r in engine.run(start + k).rounds]
            return order[k]

        for _ in range(4):
            low = rng.randint(0, 30)
            high = low + rng.choice([1, 2, 3, 5, 8, 20])
            if not engine.run(start + high, follow=engine.run(start + low)).follows:
                continue
            proven += 1
            assert all(funded(k) == funded(low) for k in range(low, high + 1))
    # The proof is not vacuous: it holds often on these elections.
    assert proven > RANDOM_ELECTIONS


def test_an_exact_tie_off_the_equal_split_does_not_carry_to_higher_shares():
    """p0 and p2 tie exactly at 6 € above the first share, but not because every supporter
    pays the equal split: with a little more money the tie breaks the other way. Only ties
    at the equal split (each price exactly one over the supporters) may be carried over a
    stretch of shares; found by a random search when every exact tie was carried."""
    from fractions import Fraction

    from voting.counting.equal_shares import _Engine
    from voting.counting.outcome import tie_break_ranks

    ballots = [
        *("p0,p1,p2,p3", "p0,p1,p3,p4", "p0,p2,p4", "p0,p2", "p0,p1,p2,p3,p4", "p0,p1,p4"),
        *("p0,p2,p3", "p0", "p0,p1,p2,p3,p4", "p4", "p1,p2,p3", "p0,p2,p4", "p0,p1,p2,p3,p4"),
        *("p0,p1,p2,p4", "p1,p4", "p1,p3,p4", "p0,p2", "p3,p4", "p2,p4", "p0,p1,p2,p3", "p2"),
        *("p4", "p0,p1,p2,p3,p4", "p0,p1,p2,p3"),
    ]
    text = _file(
        [("p0", 250), ("p1", 20), ("p2", 250), ("p3", 2), ("p4", 250)],
        [b.split(",") for b in ballots],
        1000,
    )
    profile = ApprovalProfile.from_election(parse_pabulib(text))
    ranks, _seed = tie_break_ranks(
        profile.ids, profile.costs, profile.votes, TieBreak.PROJECT_ID, None
    )
    engine = _Engine(profile, ranks)
    start = Fraction(profile.budget) / profile.n_voters
    orders = {tuple(r.project for r in engine.run(start + k).rounds) for k in range(6, 12)}
    assert len(orders) > 1
    assert not engine.run(start + 11, follow=engine.run(start + 6)).follows


# --- decisions on the exact edge ------------------------------------------------------------
# Each election below sits exactly on an edge where float arithmetic (with the old relative
# tolerances 1e-11 for "holds the cost" and 1e-9 for "equally good") decides the wrong way.


def test_supporters_short_of_the_cost_by_a_fraction_of_a_cent_cannot_fund_it(tmp_path):
    """9 999 of 10 000 voters hold 9 999 / 10 000 of 1 000 000.01 €: 999 900.009999 €, a
    ten-thousandth of a cent short of than P's 999 900.01 €. Exactly, P is unaffordable; the old
    float check (within 1e-11 of the cost counted as holding it) funded it."""
    text = _file([("P", "999900.01"), ("Q", "50")], [["P"]] * 9999 + [["Q"]], "1000000.01")
    result = equal_shares(parse_pabulib(text), completion=None)
    assert result.winners == ("Q",)
    assert result.proposal("P").reason is Reason.NOT_FUNDED_SUPPORTERS_SHORT
    pabulib = pytest.importorskip("pabutools.election")
    rules = pytest.importorskip("pabutools.rules")
    path = tmp_path / "edge.pb"
    path.write_text(text)
    instance, profile = pabulib.parse_pabulib(str(path))
    reference = rules.method_of_equal_shares(instance, profile, sat_class=pabulib.Cost_Sat)
    assert {p.name for p in reference} == {"Q"}


def test_a_price_better_by_one_part_in_ten_billion_wins_over_the_tie_break():
    """A is backed by 10^10 voters, B by the same 10^10 and one more: B's price per supporter
    (1 / (10^10 + 1) of its cost) is strictly better than A's (1 / 10^10), so B is funded
    first and A can no longer be paid for. The old code saw the two within 1e-9, called it a
    tie and gave it to the cheaper A."""
    w = 10**10
    profile = ApprovalProfile(
        ids=("A", "B"),
        costs=(Decimal(100), Decimal(200)),
        budget=Decimal(250),
        votes=(w, w + 1),
        n_voters=w + 1,
        group_weights=np.array([w, 1.0]),
        supporters=(np.array([0]), np.array([0, 1])),
        supporter_weights=(np.array([float(w)]), np.array([float(w), 1.0])),
    )
    result = equal_shares(profile, completion=None)
    assert result.winners == ("B",)
    assert result.ties == ()


def test_exactly_level_prices_go_to_the_documented_tie_break():
    """E is bought first (4 supporters, price 1/4), and one supporter each of C and D pays
    2 € of its 6 € towards it. C and D (14 €, three supporters each) then both cost their
    supporters 4 €, 5 € and 5 €: exactly level (5/14), with a supporter paying less. The
    exact run finds the tie and the documented order settles it: lower cost, then more
    votes, then the lot drawn from the recorded seed (pabutools' mode: ids as text)."""
    votes = [["E", "C"], ["C"], ["E", "D"], ["D"], ["E"], ["E"], ["C"], ["D"]]
    election = parse_pabulib(_file([("E", 8), ("C", 14), ("D", 14)], votes, 48))
    chosen = set()
    for seed in range(8):
        result = equal_shares(election, completion=None, seed=seed)
        assert result.winners[0] == "E"
        (tie,) = result.ties
        assert set(tie.tied) == {"C", "D"}
        assert result.winners[1] == tie.chosen
        chosen.add(tie.chosen)
        assert result.proposal(tie.chosen).supporters_paying_less == 1
    assert chosen == {"C", "D"}  # the lot, not the order of the file, decides
    by_id = equal_shares(election, completion=None, tie_break=TieBreak.PROJECT_ID)
    assert by_id.ties[0].chosen == "C"


@pytest.mark.parametrize("n", [0, 1, 8191, 8192, 8193, 3 * 8192 + 17])
def test_long_dot_products_are_summed_in_pieces_without_losing_any(n):
    """Dot products over more than 8 192 ballot groups are cut into pieces so that OpenBLAS
    stays on one thread (7.2 s against 1.2 s on a busy machine); every piece, the last short
    one included, must be counted."""
    from voting.counting.equal_shares import _DOT_CHUNK, _dot

    assert _DOT_CHUNK <= 10_000  # OpenBLAS threads dot products longer than 10 000
    rng = np.random.default_rng(n)
    a = rng.integers(0, 1000, n).astype(float)
    b = rng.integers(0, 1000, n).astype(float)
    assert _dot(a, b) == float(sum(int(x) * int(y) for x, y in zip(a, b, strict=True)))
