"""Vote-casting throughput through gunicorn + PostgreSQL, beside a minimal Django view.

    .venv/bin/python -m tests.benchmarks.voting_bench [--voters 400] [--concurrency 16]
    .venv/bin/python -m tests.benchmarks.voting_bench --profile [--voters 100]

Creates a scratch database (omakouvola_bench_voting_<pid> on 127.0.0.1, dropped afterwards),
starts gunicorn on a free loopback port, and has each voter load the ballot page and cast
a vote with their own session. Prints throughput, latency percentiles and errors, and
checks afterwards that every voter has exactly one vote. Traffic stays on 127.0.0.1.

Two baselines run in the same server before the votes: the minimal view (issue #15's
yardstick) and the floor (tests/benchmarks/urls.floor): the same GET + POST with sign-in,
CSRF and one write and nothing else, the least a vote can be on this stack. A ratio to
the minimal view above the floor's is out of reach for any ballot page.

`--profile` runs the same ballot and POST in one process instead (Django's test client,
no gunicorn) under pyinstrument and prints where the time goes and the queries of each
request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
# One scratch database per run: two benchmarks at once must not drop each other's.
DB_NAME = f"omakouvola_bench_voting_{os.getpid()}"
BASE_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


QUERY_VOTERS = 8  # cast after the load, in-process, to count each request's queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--browsers",
        type=int,
        default=0,
        help="threads that browse the idea list and ballots meanwhile",
    )
    parser.add_argument(
        "--celery",
        action="store_true",
        help="send receipts through a real Celery worker on REDIS_URL",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile GET ballot + POST vote in-process with pyinstrument instead",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings",
        "DATABASE_URL": f"{BASE_URL}/{DB_NAME}",
    }
    if args.celery:
        if not env.get("REDIS_URL"):
            raise SystemExit("--celery needs REDIS_URL")
        env["CELERY_TASK_ALWAYS_EAGER"] = "false"
        env["CELERY_TASK_DEFAULT_QUEUE"] = f"bench-{os.getpid()}"
    else:
        env.pop("REDIS_URL", None)
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME}")
    server = None
    worker = None
    browse_stats: dict = {}
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        setup = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.benchmarks.voting_bench",
                "--setup",
                str(args.voters + QUERY_VOTERS),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        ballot_id, proposal_ids, sessions = setup[0], setup[1].split(","), setup[2:]
        sessions, query_sessions = sessions[:-QUERY_VOTERS], sessions[-QUERY_VOTERS:]
        if args.profile:
            subprocess.run(
                [sys.executable, "-m", "tests.benchmarks.voting_bench", "--profile-run"],
                input="\n".join([ballot_id, ",".join(proposal_ids), *sessions, *query_sessions]),
                cwd=ROOT,
                env=env,
                check=True,
                text=True,
            )
            return
        port = _free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "tests.benchmarks.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_for(port)
        if args.celery:
            worker = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "celery"),
                    "-A",
                    "omakouvola",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "warning",
                    "-Q",
                    env["CELERY_TASK_DEFAULT_QUEUE"],
                ],
                cwd=ROOT,
                env=env,
            )
        # Warm every worker (imports, database connections) before measuring.
        _run(
            port,
            args.concurrency,
            [None] * 50,
            lambda conn, _s: _get(conn, "/bench/minimal/", None),
        )
        minimal = _run(
            port,
            args.concurrency,
            [None] * len(sessions),
            lambda conn, _s: _get(conn, "/bench/minimal/", None),
        )
        # The floor: sign-in, CSRF and one write, the least a vote can be here (urls.floor).
        floor_pages: list[float] = []
        floor = _run(
            port,
            args.concurrency,
            sessions,
            lambda conn, session: _vote(conn, "/bench/floor/", proposal_ids, session, floor_pages),
        )
        page_times: list[float] = []
        stop = threading.Event()
        browsers = [
            threading.Thread(target=_browse, args=(port, stop, browse_stats))
            for _ in range(args.browsers)
        ]
        for thread in browsers:
            thread.start()
        vote_times = _run(
            port,
            args.concurrency,
            sessions,
            lambda conn, session: _vote(
                conn, f"/fi/voting/{ballot_id}/", proposal_ids, session, page_times
            ),
        )
        stop.set()
        for thread in browsers:
            thread.join()
        delivered = _wait_for_receipts(env, len(sessions)) if args.celery else None
        # Queries per request, counted in-process by voters kept out of the load.
        queries = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.voting_bench", "--profile-run"],
            input="\n".join([ballot_id, ",".join(proposal_ids), *query_sessions]),
            cwd=ROOT,
            env={**env, "BENCH_QUERIES_ONLY": "1"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        counted = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--verbosity",
                "0",
                "-c",
                "from voting.models import Vote, VoterRoll;"
                f"print(Vote.objects.filter(ballot_id={ballot_id}).count(),"
                f" VoterRoll.objects.filter(ballot_id={ballot_id}).count())",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")

    print(
        f"\n{len(sessions)} voters, concurrency {args.concurrency}, "
        f"gunicorn {args.workers} workers, PostgreSQL"
    )
    print(
        f"{'request':<28}{'n':>6}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    for label, (times, errors, wall) in [
        ("minimal view (GET)", minimal),
        ("floor: sign-in+CSRF+write", floor),
        ("ballot page (GET)", (page_times, 0, vote_times[2])),
        ("cast a vote (GET+POST)", vote_times),
    ]:
        ok = sorted(times)
        rate = len(ok) / wall if wall else 0

        def pct(p, ok=ok):
            return ok[min(len(ok) - 1, int(len(ok) * p))] * 1000 if ok else 0

        print(
            f"{label:<28}{len(ok):>6}{rate:>9.1f}{pct(0.5):>9.1f}{pct(0.95):>9.1f}"
            f"{pct(0.99):>9.1f}{errors:>8}"
        )
    if browse_stats:
        times = sorted(browse_stats["times"])
        print(
            f"{'browsing (GET, meanwhile)':<28}{len(times):>6}{'':>9}"
            f"{times[len(times) // 2] * 1000:>9.1f}{times[int(len(times) * 0.95)] * 1000:>9.1f}"
            f"{times[min(len(times) - 1, int(len(times) * 0.99))] * 1000:>9.1f}"
            f"{browse_stats['errors']:>8}"
        )
    minimal_rate = len(minimal[0]) / minimal[2]
    floor_rate = len(floor[0]) / floor[2]
    vote_rate = len(vote_times[0]) / vote_times[2]
    print(f"votes/s ÷ minimal req/s in this run: {vote_rate / minimal_rate:.3f}")
    print(
        f"floor (GET+POST)/s ÷ minimal req/s: {floor_rate / minimal_rate:.3f} "
        f"(no vote page can beat the floor); votes/s ÷ floor/s: {vote_rate / floor_rate:.3f}"
    )
    print(queries)
    print(
        f"votes stored: {counted[0]}, voter roll entries: {counted[1]} "
        f"(expected {len(sessions) + QUERY_VOTERS} each)"
    )
    if delivered is not None:
        print(
            f"receipts sent by the Celery worker: {delivered[0]} of {len(sessions)} "
            f"in {delivered[1]:.1f} s after the last vote"
        )


def _run(port, concurrency, items, action):
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(items)

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                item = queue.pop()
            start = time.perf_counter()
            try:
                ok = action(conn, item)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    times.append(elapsed)
                else:
                    errors += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors, time.perf_counter() - started


def _browse(port, stop, stats):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    stats.setdefault("times", [])
    stats.setdefault("errors", 0)
    paths = ["/fi/ideas/", "/fi/voting/", "/fi/", "/fi/proposals/"]
    n = 0
    while not stop.is_set():
        start = time.perf_counter()
        try:
            ok = _get(conn, paths[n % len(paths)], None)
        except (OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            ok = False
        if ok:
            stats["times"].append(time.perf_counter() - start)
        else:
            stats["errors"] += 1
        n += 1
    conn.close()


def _wait_for_receipts(env, expected: int, limit: float = 180) -> tuple[int, float]:
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < limit:
        sent = int(
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "--verbosity",
                    "0",
                    "-c",
                    "from omakouvola.models import Notification as N;"
                    "print(N.objects.filter(template='voting_receipt', status='sent').count())",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
        )
        if sent >= expected:
            break
        time.sleep(2)
    return sent, time.monotonic() - start


def _get(conn, path, cookie):
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    return response.status == 200 and body


def _vote(conn, url, proposal_ids, session, page_times) -> bool:
    cookie = f"sessionid={session}"
    start = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": cookie})
    response = conn.getresponse()
    html = response.read().decode()
    page_times.append(time.perf_counter() - start)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    if not token or not csrf_cookie:
        return False
    body = urlencode(
        [("csrfmiddlewaretoken", token.group(1)), *[("proposals", pid) for pid in proposal_ids[:2]]]
    )
    conn.request(
        "POST",
        url,
        body=body,
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf_cookie.group(1)}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1{url}",
        },
    )
    response = conn.getresponse()
    response.read()
    return response.status == 302


def _setup(voters: int) -> None:
    """Inside Django: an open ballot and logged-in, verified voters (prints their sessions)."""
    import django

    django.setup()
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from demo.core import seed_core
    from demo.voting import _key_fields
    from ideas.models import Proposal
    from omakouvola.models import Cycle, User
    from voting.models import Ballot

    core = seed_core()
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        name="Benchmark",
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        ideation_starts_on=today - dt.timedelta(days=9),
        ideation_ends_on=today - dt.timedelta(days=8),
        workshops_starts_on=today - dt.timedelta(days=7),
        workshops_ends_on=today - dt.timedelta(days=6),
        voting_starts_on=today - dt.timedelta(days=5),
        voting_ends_on=today + dt.timedelta(days=5),
        decision_starts_on=today + dt.timedelta(days=6),
        decision_ends_on=today + dt.timedelta(days=7),
        implementation_starts_on=today + dt.timedelta(days=8),
        implementation_ends_on=today + dt.timedelta(days=300),
    )
    proposals = [
        Proposal.objects.create(
            cycle=cycle, title=f"Ehdotus {n}", description="x", cost=3000, status="approved"
        )
        for n in range(5)
    ]
    ballot = Ballot.objects.create(
        cycle=cycle,
        name="Benchmark",
        money=10_000,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=1),
        # Votes are sealed: the benchmark ballot uses the demo's (public) election key.
        **_key_fields(),
    )
    ballot.proposals.set(proposals)
    codes = list(core["areas"]["keskusta"].postal_codes.values_list("code", flat=True))
    users = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.fi", postal_code=codes[n % len(codes)])
            for n in range(voters)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    print(ballot.pk, ",".join(str(p.pk) for p in proposals), *sessions)


def _profile_run() -> None:
    """Inside Django: each voter's GET + POST through the test client, profiled."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    lines = sys.stdin.read().split()
    ballot_id, proposal_ids, sessions = lines[0], lines[1].split(","), lines[2:]
    url = f"/fi/voting/{ballot_id}/"
    counts: dict[str, list[int]] = {"GET": [], "POST": []}
    profiler = Profiler(interval=0.0005)

    def one(session: str, record: bool) -> None:
        client = Client(enforce_csrf_checks=True)
        client.cookies["sessionid"] = session
        with CaptureQueriesContext(connection) as get_queries:
            page = client.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        with CaptureQueriesContext(connection) as post_queries:
            response = client.post(
                url, {"csrfmiddlewaretoken": token.group(1), "proposals": proposal_ids[:2]}
            )
        assert response.status_code == 302, response.status_code
        if record:
            counts["GET"].append(len(get_queries))
            counts["POST"].append(len(post_queries))
            if os.environ.get("BENCH_SHOW_QUERIES") and len(counts["GET"]) == 1:
                for label, queries in (("GET", get_queries), ("POST", post_queries)):
                    print(f"--- {label}")
                    for query in queries.captured_queries:
                        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}")

    quiet = bool(os.environ.get("BENCH_QUERIES_ONLY"))
    warm = 2 if quiet else 5
    for session in sessions[:warm]:  # warm up imports, templates and connections
        one(session, record=False)
    start = time.perf_counter()
    if not quiet:
        profiler.start()
    for session in sessions[warm:]:
        one(session, record=True)
    elapsed = time.perf_counter() - start
    if not quiet:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        n = len(counts["GET"])
        print(f"{n} voters in {elapsed:.2f} s: {elapsed / n * 1000:.1f} ms per GET + POST")
    print(
        "statements per request, BEGIN/COMMIT/SAVEPOINT included (first vote): "
        f"GET ballot {sorted(set(counts['GET']))}, POST vote {sorted(set(counts['POST']))}"
    )


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{BASE_URL}/postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        _setup(int(sys.argv[2]))
    elif sys.argv[1:] == ["--profile-run"]:
        _profile_run()
    else:
        main()
