"""Counting rules, Pabulib files and the population split (no database needed).

The reference comparisons read real elections from ``shared/pabulib/`` beside the repository
(see its README) and the winners pabutools 1.2.3 computed for them (``expected.json``).
"""

from __future__ import annotations

import ast
import functools
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from voting.counting import (
    ApprovalProfile,
    CountResult,
    Election,
    PabulibError,
    Reason,
    TieBreak,
    count,
    equal_shares,
    greedy,
    parse_pabulib,
    read_pabulib,
    split_by_population,
    write_pabulib,
)

# ``shared/pabulib`` beside the repository, or beside the worktrees' folder (/work/wt/NAME).
PABULIB = next(
    (
        d / "shared" / "pabulib"
        for d in Path(__file__).resolve().parents[3:5]
        if (d / "shared" / "pabulib").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "pabulib",
)
COUNTING_PACKAGE = Path(__file__).resolve().parents[2] / "voting" / "counting"
EXPECTED_FILE = PABULIB / "expected.json"
EXPECTED: dict = json.loads(EXPECTED_FILE.read_text())["files"] if EXPECTED_FILE.exists() else {}
FILES = sorted(EXPECTED)
needs_pabulib = pytest.mark.skipif(
    not EXPECTED, reason=f"the Pabulib reference files are not at {PABULIB}"
)
# Slow checks (pabutools itself) run only on request, e.g. COUNTING_SLOW=1 pytest ...
slow = pytest.mark.skipif(
    not os.environ.get("COUNTING_SLOW"), reason="slow; set COUNTING_SLOW=1 to run"
)


def election(
    projects: str, votes: list[str], budget: str = "100", extra_meta: str = ""
) -> Election:
    """A small election: ``projects`` as "id;cost" lines, ``votes`` as comma-separated ids."""
    vote_rows = "\n".join(f"{i + 1};{v}" for i, v in enumerate(votes))
    text = (
        f"META\nkey;value\nbudget;{budget}\nvote_type;approval\n{extra_meta}"
        f"PROJECTS\nproject_id;cost\n{projects}\nVOTES\nvoter_id;vote\n{vote_rows}\n"
    )
    return parse_pabulib(text)


# --- greedy -------------------------------------------------------------------------------


def test_greedy_skips_a_proposal_that_does_not_fit_and_funds_a_cheaper_later_one():
    """A proposal over the money left is skipped, not the end of the count."""
    e = election("A;80\nB;30\nC;20", ["A,B,C"] * 3 + ["A,B"] + ["A"])
    result = greedy(e)
    assert result.winners == ("A", "C")
    assert result.total_cost == Decimal(100)
    assert result.proposal("A").reason is Reason.FUNDED_FITS
    assert result.proposal("A").money_left == Decimal(100)
    b = result.proposal("B")
    assert b.reason is Reason.NOT_FUNDED_EXCEEDS_MONEY_LEFT
    assert b.money_left == Decimal(20)
    assert b.explain() == "not funded: cost 30 exceeded the money left 20"
    assert result.proposal("C").explain() == "funded: fit the money left (20)"


def test_greedy_threshold_drops_proposals_under_the_vote_threshold_before_counting():
    """Below-threshold proposals are out even when the money would reach them."""
    e = election("A;50\nB;10", ["A,B", "A", "A"], extra_meta="min_project_score_threshold;2\n")
    result = count(e, "greedy-threshold")
    assert result.winners == ("A",)
    assert result.proposal("B").reason is Reason.NOT_FUNDED_BELOW_THRESHOLD
    assert greedy(e).winners == ("A", "B")


def test_greedy_never_funds_a_proposal_nobody_voted_for():
    """Money left over is not spent on proposals without a single vote."""
    result = greedy(election("A;10\nB;10", ["A"]))
    assert result.winners == ("A",)
    assert result.proposal("B").reason is Reason.NOT_FUNDED_NO_VOTES


def test_greedy_breaks_equal_votes_by_lower_cost_then_by_the_seeded_lot():
    """Municipal tie-break: the cheaper of two equally voted proposals goes first."""
    e = election("A;60\nB;50", ["A,B"] * 2)
    result = greedy(e, seed=1)
    assert result.winners == ("B",)
    assert result.ties[0].tied == ("B", "A")
    assert result.seed == 1


def test_greedy_lot_is_reproducible_from_the_recorded_seed():
    """Equal cost and votes go to the lot; the same seed always draws the same winner."""
    e = election("A;60\nB;60", ["A,B"] * 2)
    drawn = {seed: greedy(e, seed=seed).winners for seed in range(30)}
    assert set(drawn.values()) == {("A",), ("B",)}
    assert all(greedy(e, seed=seed).winners == w for seed, w in drawn.items())
    unseeded = greedy(e)
    assert unseeded.seed is not None
    assert greedy(e, seed=unseeded.seed).winners == unseeded.winners


def test_project_id_tie_break_compares_ids_as_strings_like_pabutools():
    """ "10" sorts before "9" as text, which is pabutools' default tie-break."""
    e = election("9;60\n10;60", ["9,10"] * 2)
    assert greedy(e, tie_break=TieBreak.PROJECT_ID).winners == ("10",)


# --- equal shares -------------------------------------------------------------------------

# Four voters, 100 €: 25 € each. Z (30 €) is wanted by all four, X (60 €) by three, Y (40 €)
# by one. Z costs each supporter 7.50; then X's three supporters hold 52.50 < 60, and Y's one
# holds 17.50 < 40. With Add1 at 28 € each, X's supporters hold 3 * 20.50 = 61.50 after Z,
# X is funded at 20 € each and 10 € is left, too little for Y: exhaustive.
SMALL = ("X;60\nY;40\nZ;30", ["X,Z", "X,Z", "X,Z", "Y,Z"])


def test_equal_shares_single_run_funds_what_supporters_can_pay_from_equal_shares():
    """One run at budget / voters: Z only, X's supporters are short after paying for Z."""
    result = equal_shares(election(*SMALL), completion=None)
    assert result.winners == ("Z",)
    z = result.proposal("Z")
    assert z.max_payment == Decimal("7.50")
    assert z.effective_votes == Decimal("4.00")
    assert z.supporters_paying_less == 0
    x = result.proposal("X")
    assert x.reason is Reason.NOT_FUNDED_SUPPORTERS_SHORT
    assert x.supporters_money == Decimal("52.50")
    assert "52.50 left between them, less than its cost 60" in x.explain()


def test_add1_raises_each_share_by_one_euro_until_the_outcome_is_exhaustive():
    """Add1 stops at 28 € a voter, where Z and X are funded and Y cannot fit."""
    result = equal_shares(election(*SMALL), completion="add1")
    assert result.winners == ("Z", "X")
    assert result.per_voter_budget == Decimal(28)
    assert result.total_cost == Decimal(90)
    x = result.proposal("X")
    assert x.max_payment == Decimal("20.00")
    assert x.effective_votes == Decimal("3.00")
    assert x.position == 2


def test_add1_keeps_the_last_outcome_that_fits_when_the_next_overspends():
    """A raise that would buy more than the budget is undone: the previous outcome stands."""
    # 2 voters, 10 € each. A (12) and B (12) each wanted by one voter: neither affordable
    # until 12 € each, when both are funded for 24 > 20, so the outcome at 11 € (nothing
    # funded) is kept.
    result = equal_shares(election("A;12\nB;12", ["A", "B"], budget="20"), completion="add1")
    assert result.winners == ()
    assert result.per_voter_budget == Decimal(11)


def test_add1_step_is_configurable_for_currencies_with_small_units():
    """With a 5-unit step the shares go 25, 30: X becomes affordable at 30 each."""
    result = equal_shares(election(*SMALL), completion="add1", step=5)
    assert result.per_voter_budget == Decimal(30)
    assert result.winners == ("Z", "X")


def test_add1u_spends_the_money_left_greedily_after_equal_shares():
    """Add1u funds, by votes, what still fits after Add1."""
    # Two voters, 20 €. C (3 €) is wanted by both, A and B (12 € each) by one each. Add1
    # funds C alone up to 13 € a voter; at 14 € both A and B become affordable and the
    # outcome (27 €) overspends, so {C} is kept with 17 € left: the completion funds one of
    # A and B (equal votes and cost: the lot decides) and the other no longer fits.
    e = election("A;12\nB;12\nC;3", ["A,C", "B,C"], budget="20")
    plain = equal_shares(e, completion="add1")
    assert plain.winners == ("C",)
    assert plain.per_voter_budget == Decimal(13)
    completed = equal_shares(e, completion="add1u", seed=2)
    assert completed.winners[0] == "C"
    assert len(completed.winners) == 2
    assert completed.total_cost == Decimal(15)
    extra = completed.proposal(completed.winners[1])
    assert extra.reason is Reason.FUNDED_COMPLETION
    assert extra.money_left == Decimal(17)
    other = ({"A", "B"} - {extra.project_id}).pop()
    assert completed.proposal(other).reason is Reason.NOT_FUNDED_EXCEEDS_MONEY_LEFT


def test_equal_shares_supporter_with_less_money_pays_all_they_have():
    """A supporter who already spent most of the share pays the rest; others cover the gap."""
    # Six voters, 10 € each. P (36 €) is wanted by voters 1-4, who pay 9 € each; then Q
    # (12 €), wanted by voters 1, 5 and 6: voter 1 has 1 € left and pays it, and voters 5
    # and 6 pay 5.50 € each.
    e = election("P;36\nQ;12", ["P,Q", "P", "P", "P", "Q", "Q"], budget="60")
    result = equal_shares(e, completion=None)
    assert result.winners == ("P", "Q")
    q = result.proposal("Q")
    assert q.max_payment == Decimal("5.50")
    assert q.supporters_paying_less == 1
    assert "1 supporters paid all they had left" in q.explain()


def test_equal_shares_tie_goes_to_the_lower_cost_by_default_and_to_the_id_in_pabutools_mode():
    """Equal price per unit of cost: municipal picks the cheaper, pabutools the smaller id text."""
    # Two voters back both; "9" costs 20 (10 € each), "10" costs 40 (20 € each): equally
    # good per euro, and only one is affordable afterwards.
    e = election("9;20\n10;40", ["9,10", "9,10", ""], budget="75")
    municipal = equal_shares(e, completion=None)
    assert municipal.winners == ("9",)
    assert municipal.ties[0].tied == ("9", "10")
    assert equal_shares(e, completion=None, tie_break=TieBreak.PROJECT_ID).winners == ("10",)


def test_equal_shares_lot_is_seeded_and_recorded():
    """Identical proposals are decided by the seeded lot, reproducibly."""
    e = election("A;20\nB;20", ["A,B", "A,B", ""], budget="45")
    drawn = {seed: equal_shares(e, completion=None, seed=seed).winners for seed in range(30)}
    assert set(drawn.values()) == {("A",), ("B",)}
    result = equal_shares(e, completion=None, seed=3)
    assert result.seed == 3 and result.winners == drawn[3]


def test_results_serialise_to_json_with_money_as_strings():
    """The result is plain data for the results page and `tally --json`."""
    result = equal_shares(election(*SMALL), completion="add1", seed=5)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["winners"] == ["Z", "X"]
    assert data["total_cost"] == "90"
    assert data["seed"] == 5
    assert {p["project_id"]: p["funded"] for p in data["proposals"]} == {
        "X": True,
        "Y": False,
        "Z": True,
    }


def test_count_accepts_pabulib_rule_names():
    """`equalshares/add1` as written in Pabulib files is Equal Shares with Add1."""
    e = election(*SMALL)
    assert count(e, "equalshares/add1").winners == ("Z", "X")
    with pytest.raises(ValueError, match="unknown counting rule"):
        count(e, "borda")


def test_an_election_without_votes_funds_nothing():
    """No ballots, no winners, and no division by zero."""
    e = election("A;10", [])
    assert greedy(e).winners == ()
    assert equal_shares(e).winners == ()


# --- Pabulib parser and writer ------------------------------------------------------------


def test_parser_reads_quotes_crlf_decimals_and_spaces():
    """Quoted fields with ; and "", CRLF, decimal costs and padded fields all parse."""
    text = (
        "\ufeffMETA\r\nkey;value\r\nbudget; 400000.0 \r\n"
        'description;"Keskusta; ""pilot"" 2022"\r\nrule;greedy\r\n'
        "min_project_score_threshold;30\r\n\r\n"
        "PROJECTS\r\nproject_id;cost;votes;name;selected\r\n"
        ' 007 ; 1500.50 ;2;"Penkki; puisto";1\r\nc2;300;1;Lamppu;0\r\n'
        "VOTES\r\nvoter_id;vote;age\r\n1; 007 , c2 ;34\r\n2;007;\r\n"
    )
    e = parse_pabulib(text)
    assert e.budget == Decimal("400000.0")
    assert e.meta["description"] == 'Keskusta; "pilot" 2022'
    assert e.min_project_score_threshold == 30
    assert e.project_ids == ("007", "c2")
    p = e.project("007")
    assert p.cost == Decimal("1500.50")
    assert p.votes == 2
    assert p.extra["name"] == "Penkki; puisto"
    assert e.selected == ("007",)
    assert e.votes[0].projects == ("007", "c2")
    assert e.votes[0].extra == {"age": "34"}
    assert e.votes[1].projects == ("007",)


def test_parser_keeps_project_ids_as_written():
    """ "01" and "1" are different projects; ids are never turned into numbers."""
    e = election("01;5\n1;5", ["01", "1,01"])
    assert e.vote_counts() == {"01": 2, "1": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\n", "missing section"),
        (
            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\nVOTES\nvoter_id;vote\n1;B\n",
            "unknown project",
        ),
        (
            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;five\nVOTES\nvoter_id;vote\n",
            "line 6: not a number",
        ),
        ("META\nkey;value\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n", "no budget"),
        (
            "META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\nA;1\nA;2\nVOTES\nvoter_id;vote\n",
            "appears twice",
        ),
    ],
)
def test_parser_refuses_broken_files_with_a_clear_message(text: str, message: str):
    """A broken file is refused, saying what and where."""
    with pytest.raises(PabulibError, match=message):
        parse_pabulib(text)


def test_writer_round_trip_gives_identical_data():
    """parse → write → parse is the identity, selected column and decimals included."""
    text = (
        "META\nkey;value\nbudget;400000.0\nnum_projects;2\nnum_votes;2\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost;votes;name;selected\n"
        '1;1500.50;2;"Penkki; ""uusi""";1\n2;300;1;Lamppu;0\n'
        "VOTES\nvoter_id;vote\nv1;1,2\nv2;1\n"
    )
    first = parse_pabulib(text)
    assert parse_pabulib(write_pabulib(first)) == first


def test_writer_leaves_out_voters_personal_columns_unless_asked():
    """An export carries ids and choices only; age, sex, district stay behind."""
    e = parse_pabulib(
        "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\nA;5\n"
        "VOTES\nvoter_id;vote;age;sex\n1;A;34;F\n"
    )
    written = write_pabulib(e)
    assert "age" not in written and "34" not in written
    assert parse_pabulib(written).votes[0].extra == {}
    assert parse_pabulib(write_pabulib(e, keep_vote_columns=True)).votes == e.votes


def test_writer_marks_the_counted_winners_as_selected():
    """An export of a result writes its winners in the selected column."""
    e = election(*SMALL)
    result = equal_shares(e, completion="add1")
    exported = parse_pabulib(write_pabulib(e.with_selected(result.winners)))
    assert set(exported.selected or ()) == {"Z", "X"}
    assert exported.meta["num_votes"] == "4"


@needs_pabulib
@pytest.mark.parametrize("name", FILES)
def test_real_files_round_trip_through_the_writer(name: str):
    """Every reference file survives parse → write → parse unchanged."""
    original = _election(name)
    assert parse_pabulib(write_pabulib(original, keep_vote_columns=True)) == original


# --- reference results --------------------------------------------------------------------


@functools.cache
def _election(name: str) -> Election:
    return read_pabulib(PABULIB / name)


@functools.cache
def _profile(name: str) -> ApprovalProfile:
    return ApprovalProfile.from_election(_election(name))


@functools.cache
def _add1u(name: str, tie_break: TieBreak) -> CountResult:
    step = EXPECTED[name]["pabutools"]["mes_cost_add1"]["increment"]
    return equal_shares(_profile(name), completion="add1u", step=step, tie_break=tie_break, seed=0)


def _add1_part(result: CountResult) -> set[str]:
    """The winners of Add1 alone: an Add1u result before its greedy completion."""
    return {
        p.project_id
        for p in result.proposals
        if p.reason in (Reason.FUNDED_EQUAL_SHARES, Reason.FUNDED_FREE)
    }


def _official(name: str) -> set[str]:
    return set(EXPECTED[name]["selected_in_file"])


GREEDY_RULES = ("greedy", "greedy-threshold")
EQUAL_SHARES_RULES = ("equalshares/add1",)


@needs_pabulib
@pytest.mark.parametrize("name", FILES)
def test_greedy_matches_pabutools_and_the_official_result(name: str):
    """Greedy reproduces pabutools' greedy winners on every file, and the file's official
    `selected` where the city counted greedily. Ties use pabutools' ordering (ids as text);
    the greedy-threshold files are compared with the threshold applied."""
    expected = EXPECTED[name]
    profile = _profile(name)
    result = greedy(profile, tie_break=TieBreak.PROJECT_ID)
    assert set(result.winners) == set(expected["pabutools"]["greedy"]["winners"])
    threshold = _election(name).min_project_score_threshold
    if "greedy_threshold" in expected["pabutools"]:
        with_threshold = greedy(profile, threshold=threshold, tie_break=TieBreak.PROJECT_ID)
        assert set(with_threshold.winners) == set(
            expected["pabutools"]["greedy_threshold"]["winners"]
        )
    if expected["rule_in_file"] in GREEDY_RULES and expected["selected_in_file"]:
        official = count(_election(name), expected["rule_in_file"], tie_break=TieBreak.PROJECT_ID)
        assert set(official.winners) == _official(name)


@needs_pabulib
@pytest.mark.parametrize("name", FILES)
def test_equal_shares_single_run_matches_pabutools(name: str):
    """One run of Equal Shares at budget / voters gives pabutools' winners (ids-as-text ties)."""
    result = equal_shares(_profile(name), completion=None, tie_break=TieBreak.PROJECT_ID)
    assert set(result.winners) == set(EXPECTED[name]["pabutools"]["mes_cost"]["winners"])


@needs_pabulib
@pytest.mark.parametrize("name", FILES)
def test_equal_shares_add1_matches_pabutools_and_the_official_result(name: str):
    """Equal Shares with Add1 (step 1, or 100 forints for Budapest, as in expected.json)
    reproduces pabutools' `method_of_equal_shares(..., Cost_Sat, voter_budget_increment)`
    winners, and the official result where the city counted by Equal Shares (Assen,
    Świecie). Ties use pabutools' ordering, project ids compared as text."""
    result = _add1u(name, TieBreak.PROJECT_ID)
    assert _add1_part(result) == set(EXPECTED[name]["pabutools"]["mes_cost_add1"]["winners"])
    if EXPECTED[name]["rule_in_file"] in EQUAL_SHARES_RULES:
        assert _add1_part(result) == _official(name)


@needs_pabulib
@pytest.mark.parametrize("name", FILES)
def test_equal_shares_add1u_matches_pabutools(name: str):
    """Add1 followed by greedy completion ("Add1u") gives pabutools' winners (ids-as-text ties)."""
    result = _add1u(name, TieBreak.PROJECT_ID)
    assert set(result.winners) == set(EXPECTED[name]["pabutools"]["mes_cost_add1u"]["winners"])
    assert result.total_cost <= result.budget


BIG_FILES = ("Poland_Warszawa_2019_Ursynow.pb", "Poland_Warszawa_2020_Praga-Poludnie.pb")


@needs_pabulib
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=slow) if n in BIG_FILES else n for n in FILES]
)
def test_municipal_tie_break_gives_the_same_winners_on_the_reference_files(name: str):
    """The city's tie-break (lower cost, more votes, lot) changes no winner set on these
    files: their ties (Assen, Amsterdam, Dieppe, Ursynów, Praga-Południe) are between
    proposals that end up funded or not funded together. (The two big Warsaw files are in
    the slow set: they repeat a second of counting each.)"""
    assert set(greedy(_profile(name), seed=0).winners) == set(
        EXPECTED[name]["pabutools"]["greedy"]["winners"]
    )
    result = _add1u(name, TieBreak.MUNICIPAL)
    assert set(result.winners) == set(EXPECTED[name]["pabutools"]["mes_cost_add1u"]["winners"])


@needs_pabulib
@pytest.mark.parametrize("name", [n for n in FILES if n not in BIG_FILES])
@pytest.mark.parametrize("tie_break", [TieBreak.PROJECT_ID, TieBreak.MUNICIPAL])
def test_add1_skipping_certified_shares_changes_nothing(name: str, tie_break: TieBreak):
    """Skipping shares proven to give the same outcome (by a run's own certificate or by a
    later run that follows it) gives the very result of running every step, payments and
    final share included, on every reference file but the two big ones (slow stepwise)."""
    profile = _profile(name)
    step = EXPECTED[name]["pabutools"]["mes_cost_add1"]["increment"]
    fast = equal_shares(profile, step=step, tie_break=tie_break, seed=0)
    stepwise = equal_shares(
        profile, step=step, tie_break=tie_break, seed=0, skip_stable_shares=False
    )
    assert fast.winners == stepwise.winners
    assert fast.per_voter_budget == stepwise.per_voter_budget
    assert fast.proposals == stepwise.proposals
    assert fast.passes <= stepwise.passes


@needs_pabulib
@slow
@pytest.mark.parametrize(
    "name",
    ["Netherlands_Assen_2024.pb", "Poland_Warszawa_2026_Sielce.pb", "Switzerland_Zurich_SN.pb"],
)
def test_pabutools_itself_agrees_on_the_smallest_files(name: str):
    """Live cross-check against pabutools (GPL, a dev-only dependency imported here only)."""
    pabulib = pytest.importorskip("pabutools.election")
    rules = pytest.importorskip("pabutools.rules")
    instance, profile = pabulib.parse_pabulib(str(PABULIB / name))
    reference = rules.method_of_equal_shares(
        instance, profile, sat_class=pabulib.Cost_Sat, voter_budget_increment=1
    )
    ours = _add1u(name, TieBreak.PROJECT_ID)
    assert _add1_part(ours) == {p.name for p in reference}
    greedy_reference = rules.greedy_utilitarian_welfare(
        instance, profile, sat_class=pabulib.Cost_Sat
    )
    assert set(greedy(_profile(name), tie_break=TieBreak.PROJECT_ID).winners) == {
        p.name for p in greedy_reference
    }


# --- house rules --------------------------------------------------------------------------


def test_counting_package_imports_no_django_and_no_pabutools():
    """The counting code runs outside Django, and the GPL reference is never imported by it."""
    offenders = []
    for path in sorted(COUNTING_PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("django", "pabutools")
            ]
    assert offenders == []


# --- population split ---------------------------------------------------------------------

KOUVOLA_AREAS = {
    "Anjalankoski": 13_581,
    "Elimäki-Koria": 7_342,
    "Keskusta": 28_833,
    "Kuusankoski-Jaala": 19_103,
    "Valkeala": 10_653,
}


def test_split_of_the_2022_pilot_money_gives_each_area_its_population_in_euros():
    """79 512 € over areas with 79 512 residents is one euro per resident."""
    assert split_by_population(Decimal(79_512), KOUVOLA_AREAS) == KOUVOLA_AREAS


def test_split_always_sums_exactly_to_the_total():
    """Largest remainders hand out the euros that flooring leaves over."""
    for total in (1, 2, 99_999, 100_000, 1_234_567):
        shares = split_by_population(total, KOUVOLA_AREAS)
        assert sum(shares.values()) == total
        for key, population in KOUVOLA_AREAS.items():
            quota = total * population / sum(KOUVOLA_AREAS.values())
            assert abs(shares[key] - quota) < 1


def test_split_of_zero_is_zero_everywhere():
    """No money, no euros to anyone."""
    assert split_by_population(0, KOUVOLA_AREAS) == dict.fromkeys(KOUVOLA_AREAS, 0)


def test_split_to_one_area_gives_it_everything():
    """A single area takes the whole total."""
    assert split_by_population(Decimal("5000"), {"Keskusta": 28_833}) == {"Keskusta": 5000}


def test_split_ties_go_to_the_smaller_key_whatever_the_order_given():
    """Equal remainders are decided by key, so the mapping's order never matters."""
    assert split_by_population(10, {"b": 1, "a": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert split_by_population(11, {"c": 1, "b": 1, "a": 1}) == {"a": 4, "b": 4, "c": 3}


def test_split_refuses_cents_and_empty_populations():
    """Whole euros only, and there must be people to split by."""
    with pytest.raises(ValueError, match="whole euros"):
        split_by_population(Decimal("10.50"), {"a": 1})
    with pytest.raises(ValueError, match="no population"):
        split_by_population(10, {"a": 0})
