"""Time and memory of the counting rules on Pabulib files, beside pabutools.

    cd /work/main && .venv/bin/python -m tests.benchmarks.counting_bench [FILES...]
        [--pabutools-cap SECONDS] [--no-pabutools]
    .venv/bin/python -m tests.benchmarks.counting_bench --synthetic [--seed N]
        [--sizes 50x10000,200x100000,500x500000] [--pabutools-cap SECONDS]
    .venv/bin/python -m tests.benchmarks.counting_bench --startup [--runs 5] [FILES...]

FILES are names in ``shared/pabulib/`` beside the repository, or paths; all files there by
default. Ours: best of a few runs (time) and the tracemalloc peak of one run (memory),
counted from the parsed file (grouping ballots included; parsing shown apart). pabutools
(GPL, a dev-only dependency, imported only in the child process) runs in a subprocess per
rule, killed after the cap and shown as "> cap"; its memory is the child's peak resident
set, interpreter and parsing included, so it overstates the rule's own share somewhat. With
``--no-pabutools`` the timings recorded in ``expected.json`` are shown instead (marked
"rec"). "match" compares our winners with ``expected.json``.

``--synthetic`` generates seeded elections instead (projects x voters, 50-500 projects and
10 000-500 000 voters by default): costs log-uniform between 5 000 and 500 000, budget a
third of the total, each voter approving 1-12 projects drawn with Zipf-like popularity, so
most ballots are distinct. Each is written to a temporary Pabulib file for pabutools, which
runs under the same cap (at 500 000 voters it does not finish within any practical cap).

``--startup`` (goal 4 of issue #15) runs ``manage.py tally --pabulib FILE --json`` as a
command line would, several times per file, and prints the start (wall time of the process
less the count it reports, so reading and parsing the file is part of the start) beside two
baselines taken in the same loop: an empty interpreter (``python -c pass``) and
``python -c "import numpy"``. The median of the runs is
shown, so one slow run on a shared machine does not decide it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from voting.counting import (
    ApprovalProfile,
    Election,
    Project,
    TieBreak,
    Vote,
    equal_shares,
    greedy,
    read_pabulib,
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

ROOT = Path(__file__).resolve().parents[2]

RECORDED_RESOLUTION = 0.0005
"""pabutools' times in ``expected.json`` are rounded to the millisecond; below half of one
``--no-pabutools`` measures pabutools live instead (one file, Sielce, with one project)."""

# Runs in a fresh interpreter so that a time cap can kill it and its peak memory is its own.
_CHILD = r"""
import json, resource, sys, time
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
path, rule, increment = sys.argv[1], sys.argv[2], int(sys.argv[3])
instance, profile = parse_pabulib(path)
start = time.perf_counter()
if rule == "greedy":
    outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
else:
    outcome = method_of_equal_shares(
        instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment
    )
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "winners": [p.name for p in outcome]}))
"""


def _measure(func: Callable[[], Any], repeat: int = 3) -> tuple[Any, float, float]:
    """The result, the best wall time, and the tracemalloc peak in MB of one more run."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
        if best > 1.0:
            break
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, best, peak / 2**20


def _pabutools(path: Path, rule: str, increment: int, cap: float) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), rule, str(increment)],
            capture_output=True,
            text=True,
            timeout=cap,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"text": f"> {cap:g}", "mb": ""}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"text": f"error: {tail[0][:40]}", "mb": ""}
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return {"text": f"{data['seconds']:.3f}", "mb": f"{data['peak_mb']:.0f}", **data}


def _increment(name: str, expected: dict[str, Any], currency: str) -> int:
    recorded = expected.get(name, {}).get("pabutools", {}).get("mes_cost_add1", {})
    if "increment" in recorded:
        return int(recorded["increment"])
    return 100 if currency.upper() == "HUF" else 1


def synthetic_election(n_projects: int, n_voters: int, seed: int) -> Election:
    """A seeded random approval election (see the module's docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    costs = np.round(np.exp(rng.uniform(np.log(5_000), np.log(500_000), n_projects)), -2)
    popularity = 1.0 / np.arange(1, n_projects + 1) ** 0.8
    popularity /= popularity.sum()
    sizes = rng.integers(1, min(12, n_projects) + 1, n_voters)
    projects = tuple(
        Project(project_id=str(i + 1), cost=Decimal(int(c))) for i, c in enumerate(costs)
    )
    votes = []
    for v, k in enumerate(sizes):
        chosen = rng.choice(n_projects, size=int(k), replace=False, p=popularity)
        votes.append(Vote(voter_id=str(v + 1), projects=tuple(str(p + 1) for p in sorted(chosen))))
    budget = Decimal(int(costs.sum() // 3))
    meta = {
        "description": f"synthetic {n_projects}x{n_voters} seed {seed}",
        "budget": str(budget),
        "vote_type": "approval",
        "rule": "equalshares/add1",
    }
    return Election(meta=meta, projects=projects, votes=tuple(votes))


def synthetic(sizes: list[tuple[int, int]], seed: int, cap: float, use_pabutools: bool) -> int:
    import tempfile

    header = (
        "projects x voters",
        "groups",
        "MES+Add1 s",
        "MB",
        "runs",
        "pabutools s",
        "MB",
        "speed-up",
        "same",
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_projects, n_voters in sizes:
            election = synthetic_election(n_projects, n_voters, seed)
            m, m_s, m_mb = _measure(
                lambda e=election: equal_shares(e, tie_break=TieBreak.PROJECT_ID), repeat=2
            )
            groups = ApprovalProfile.from_election(election).n_groups
            p_text, p_mb, speed, same = "-", "", "", ""
            if use_pabutools:
                path = Path(tmp) / f"{n_projects}x{n_voters}.pb"
                path.write_text(write_pabulib(election))
                run = _pabutools(path, "mes", 1, cap)
                p_text, p_mb = run["text"], run["mb"]
                if "seconds" in run:
                    speed = f"{run['seconds'] / m_s:.0f}x"
                    same = "yes" if set(run["winners"]) == set(m.winners) else "NO"
                else:
                    speed = f"> {cap / m_s:.0f}x"
            row = (
                f"{n_projects} x {n_voters}",
                str(groups),
                f"{m_s:.3f}",
                f"{m_mb:.1f}",
                str(m.passes),
                p_text,
                p_mb,
                speed,
                same,
            )
            rows.append(row)
            print("  ".join(row), file=sys.stderr, flush=True)
    _table(header, rows)
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nThis process's own peak RSS (generation included): {own_mb:.0f} MB")
    return 0


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _wall(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - start, done.stdout


def startup(paths: list[Path], runs: int) -> int:
    """The start of ``manage.py tally --pabulib`` per file, beside an empty interpreter and
    an interpreter that only imports numpy, measured in the same loop."""
    python = sys.executable
    baselines = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import numpy'": [python, "-c", "import numpy"],
    }
    rows = []
    worst = 0.0
    for path in paths:
        starts, totals = [], []
        base: dict[str, list[float]] = {name: [] for name in baselines}
        for _ in range(runs):
            for name, command in baselines.items():
                base[name].append(_wall(command)[0])
            total, out = _wall(
                [
                    python,
                    "manage.py",
                    "tally",
                    "--pabulib",
                    str(path),
                    "--rule",
                    "equal-shares",
                    "--json",
                ]
            )
            totals.append(total)
            starts.append(total - json.loads(out)["seconds"])
        start_s = statistics.median(starts)
        worst = max(worst, start_s)
        rows.append(
            (
                path.name.removesuffix(".pb")[:34],
                f"{start_s:.3f}",
                f"{statistics.median(totals):.3f}",
                *(f"{statistics.median(v):.3f}" for v in base.values()),
            )
        )
    _table(("file", "tally start s", "tally total s", *baselines), rows)
    load = os.getloadavg()[0]
    print(
        f"\nmedian of {runs} runs per file; load average {load:.1f} on {os.cpu_count()} cores. "
        f"Slowest start {worst:.3f} s (goal: < 0.5 s)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="Pabulib files (names in shared/pabulib or paths)")
    parser.add_argument("--pabutools-cap", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument(
        "--no-pabutools", action="store_true", help="show expected.json's recorded timings"
    )
    parser.add_argument("--synthetic", action="store_true", help="generated elections")
    parser.add_argument(
        "--sizes",
        default="50x10000,100x50000,200x100000,300x200000,500x500000",
        help="PROJECTSxVOTERS,... for --synthetic",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--startup", action="store_true", help="time tally's start per file")
    parser.add_argument("--runs", type=int, default=5, help="runs per file for --startup")
    args = parser.parse_args(argv)
    if args.startup:
        files = [Path(f) if Path(f).exists() else PABULIB / f for f in args.files]
        return startup(files or sorted(PABULIB.glob("*.pb")), args.runs)
    if args.synthetic:
        sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
        return synthetic(sizes, args.seed, args.pabutools_cap, not args.no_pabutools)

    expected_path = PABULIB / "expected.json"
    expected = json.loads(expected_path.read_text())["files"] if expected_path.exists() else {}
    if args.files:
        paths = [Path(f) if Path(f).exists() else PABULIB / f for f in args.files]
    else:
        paths = sorted(PABULIB.glob("*.pb"))
    if not paths:
        print(f"no Pabulib files found (looked in {PABULIB})", file=sys.stderr)
        return 1

    header = (
        "file",
        "voters",
        "proj",
        "parse s",
        "greedy s",
        "MB",
        "MES+Add1 s",
        "MB",
        "runs",
        "every step s",
        "match",
        "pabutools greedy s",
        "pabutools MES+Add1 s",
        "MB",
        "speed-up",
    )
    rows = []
    speedups: list[float] = []
    for path in paths:
        start = time.perf_counter()
        election = read_pabulib(path)
        parse_s = time.perf_counter() - start
        name = path.name
        step = _increment(name, expected, election.meta.get("currency", ""))

        # Counted from the parsed file, so grouping the ballots is part of each figure.
        g, g_s, g_mb = _measure(lambda e=election: greedy(e, tie_break=TieBreak.PROJECT_ID))
        m, m_s, m_mb = _measure(
            lambda e=election, s=step: equal_shares(e, step=s, tie_break=TieBreak.PROJECT_ID)
        )
        # The baseline, measured in the same run: our own engine raising the share one step
        # at a time, as the reference does (what skipping certified shares saves).
        start = time.perf_counter()
        equal_shares(election, step=step, tie_break=TieBreak.PROJECT_ID, skip_stable_shares=False)
        stepwise_s = time.perf_counter() - start
        reference = expected.get(name, {}).get("pabutools", {})
        match = "?"
        if reference:
            ok_g = set(g.winners) == set(reference["greedy"]["winners"])
            ok_m = set(m.winners) == set(reference["mes_cost_add1"]["winners"])
            match = ("G" if ok_g else "g!") + ("M" if ok_m else "m!")

        if args.no_pabutools:
            pg = reference.get("greedy", {}).get("seconds")
            pm = reference.get("mes_cost_add1", {}).get("seconds")
            pg_text = f"{pg:.3f} rec" if pg is not None else "-"
            pm_text = f"{pm:.3f} rec" if pm is not None else "-"
            pm_mb = ""
            pm_seconds = pm
            if pm is not None and pm < RECORDED_RESOLUTION:
                # Recorded as 0.000 s: no ratio can be taken from that, so pabutools runs
                # here (it takes about a millisecond).
                pm_run = _pabutools(path, "mes", step, args.pabutools_cap)
                if "seconds" in pm_run:
                    pm_text, pm_mb, pm_seconds = (
                        pm_run["text"] + " live",
                        pm_run["mb"],
                        pm_run["seconds"],
                    )
        else:
            pg_run = _pabutools(path, "greedy", step, args.pabutools_cap)
            pm_run = _pabutools(path, "mes", step, args.pabutools_cap)
            pg_text, pm_text, pm_mb = pg_run["text"], pm_run["text"], pm_run["mb"]
            pm_seconds = pm_run.get("seconds", args.pabutools_cap)
            if "winners" in pm_run and set(pm_run["winners"]) != set(m.winners):
                pm_text += " (differs!)"

        row = (
            name.removesuffix(".pb")[:34],
            str(len(election.votes)),
            str(len(election.projects)),
            f"{parse_s:.3f}",
            f"{g_s:.4f}",
            f"{g_mb:.2f}",
            f"{m_s:.3f}" + (f" (step {step})" if step != 1 else ""),
            f"{m_mb:.2f}",
            str(m.passes),
            f"{stepwise_s:.3f}",
            match,
            pg_text,
            pm_text,
            pm_mb,
            f"{pm_seconds / m_s:.0f}x" if pm_seconds is not None else "",
        )
        if pm_seconds is not None:
            speedups.append(pm_seconds / m_s)
        rows.append(row)
        print("  ".join(row), file=sys.stderr, flush=True)

    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(
        "\nmatch: G/M = greedy / MES+Add1 winners equal expected.json's pabutools winners. "
        "Ours: tracemalloc peak of the count; pabutools: peak RSS of its process."
    )
    if speedups:
        ordered = sorted(speedups)
        median = (
            ordered[len(ordered) // 2]
            if len(ordered) % 2
            else ((ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2)
        )
        print(
            f"MES+Add1 speed-up over pabutools: median {median:.0f}x, lowest {ordered[0]:.1f}x "
            f"over {len(ordered)} files (capped pabutools runs count at the cap)."
        )
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"This process's own peak RSS (Python, numpy, all files parsed): {own_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
