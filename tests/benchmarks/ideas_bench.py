"""Idea list page and the open data API's idea list (the largest) vs a minimal view.

Uses 5 000 ideas in a throw-away database by default (`--ideas 50000` for the big case).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omakouvola \
        .venv/bin/python -m tests.benchmarks.ideas_bench [--ideas 5000] [--requests 60]

Prints median and p95 server time (Django test client, in-process: no network) and the
query count of each page. The database is a test database, created and dropped here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--profile",
        metavar="URL",
        help="print pyinstrument's profile of this page (e.g. /fi/ideas/) and stop",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omakouvola.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )

    settings.ROOT_URLCONF = "tests.benchmarks.urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.template import Template

    production_render = Template._render
    setup_test_environment()
    # The test environment wraps every template render in a signal for assertTemplateUsed;
    # production has no such wrapper, so measure without it.
    Template._render = production_render
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client

        _fill(args.ideas)
        client = Client()
        if args.profile:
            from pyinstrument import Profiler

            client.get(args.profile)
            profiler = Profiler(interval=0.0002)
            with CaptureQueriesContext(connection) as queries:
                profiler.start()
                for _ in range(args.requests):
                    client.get(args.profile)
                profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=True))
            for query in queries.captured_queries[-len(queries) // args.requests :]:
                print(query["time"], query["sql"][:300])
            return
        rows = []
        for label, url in [
            ("minimal view", "/bench/minimal/"),
            ("idea list, page 1", "/fi/ideas/"),
            ("idea list, search", "/fi/ideas/?q=kuntosali"),
            ("idea list, page 100", "/fi/ideas/?page=100"),
            ("idea list, no match", "/fi/ideas/?q=zzzzqqq"),
            ("home page", "/fi/"),
            ("API ideas, 50", "/api/v1/ideas"),
            ("API ideas, 500", "/api/v1/ideas?limit=500"),
        ]:
            client.get(url)  # warm up caches and connections
            timings = []
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            rows.append((label, statistics.median(timings), p95, len(queries)))
        vendor = connection.vendor
        print(f"\n{args.ideas} ideas, {args.requests} requests each, database: {vendor}")
        print(f"{'page':<22}{'median ms':>12}{'p95 ms':>10}{'queries':>10}")
        for label, median, p95, count in rows:
            print(f"{label:<22}{median:>12.1f}{p95:>10.1f}{count:>10}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _fill(count: int) -> None:
    import random

    from demo.core import seed_core
    from demo.ideas import IDEA_TEMPLATES, PLACES, _theme_map
    from ideas.models import Idea, IdeaStatus

    core = seed_core()
    themes = _theme_map()
    rng = random.Random(5000)
    areas = list(core["areas"].items())
    statuses = [IdeaStatus.SUBMITTED] * 6 + [IdeaStatus.FORWARDED, IdeaStatus.REJECTED]
    ideas = []
    for n in range(count):
        slug, area = rng.choice(areas)
        theme_slug, title, description, cost = rng.choice(IDEA_TEMPLATES)
        status = rng.choice(statuses)
        ideas.append(
            Idea(
                cycle=core["cycle"],
                title=f"{title} – {rng.choice(PLACES[slug])} {n}",
                description=description,
                area=area,
                theme=themes[theme_slug],
                rough_cost=cost,
                status=status,
                reject_reason="other" if status == IdeaStatus.REJECTED else "",
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=1000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A production table has planner statistics and a visibility map (autovacuum);
        # a freshly filled one has neither.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
