"""The task queue: enqueue and run 10,000 no-op jobs and 1,000 mails to a loopback SMTP server
on each backend (SQLite, PostgreSQL, Redis through RQ), printing jobs per second and the cost
of one enqueue (what a request pays), p50 and p95.

Targets: >= 500 jobs/s on PostgreSQL, >= 2,000 jobs/s on Redis, enqueue < 2 ms p95.

    uv run python bench/tasks.py --jobs 10000 --mails 1000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_POSTGRES,
    ROOT,
    environment,
    fresh_postgres,
    run_child,
    setup_django,
)

DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _run_workers(count: int) -> float:
    """Seconds for `count` workers to empty the queue."""
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "ficarchive", "worker", "--batch", "--interval", "0"], cwd=ROOT
        )
        for _ in range(count)
    ]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - started


def child(jobs: int, mails: int, workers: int) -> None:
    """Child mode: on the backend its environment names, enqueue then run; prints JSON."""
    setup_django()
    from django.core.management import call_command

    from bench.noop_task import noop
    from ficarchive.core.mail import mail_enqueue, mail_render

    call_command("migrate", verbosity=0)
    figures: dict[str, float] = {}
    costs = []
    for n in range(jobs):
        started = time.perf_counter()
        noop.enqueue(n)
        costs.append(time.perf_counter() - started)
    figures["enqueue_p50_ms"] = _percentile(costs, 0.5) * 1000
    figures["enqueue_p95_ms"] = _percentile(costs, 0.95) * 1000
    seconds = _run_workers(workers)
    figures["jobs_per_s"] = jobs / seconds
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="A benchmark.")
    costs = []
    for n in range(mails):
        started = time.perf_counter()
        mail_enqueue(f"reader{n}@example.org", message)
        costs.append(time.perf_counter() - started)
    figures["mail_enqueue_p95_ms"] = _percentile(costs, 0.95) * 1000
    seconds = _run_workers(workers)
    figures["mails_per_s"] = mails / seconds
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--mails", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.jobs, options.mails, options.workers)
        return

    import redis

    sys.path.insert(0, str(ROOT))
    from tests.core.tasks.smtp import SmtpServer

    smtp = SmtpServer()
    smtp.start()
    mail = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "false"}
    args = ["--child", "--jobs", str(options.jobs), "--mails", str(options.mails)]
    args += ["--workers", str(options.workers)]
    with tempfile.TemporaryDirectory() as folder:
        runs = [("SQLite", environment(DATA_DIR=f"{folder}/sqlite", **mail))]
        if fresh_postgres(options.postgres):
            runs.append(("PostgreSQL", environment(DATABASE_URL=options.postgres, **mail)))
        try:
            redis.Redis.from_url(options.redis).flushdb()
            env = environment(DATA_DIR=f"{folder}/redis", TASKS_URL=options.redis, **mail)
            runs.append(("Redis (RQ)", env))
        except redis.exceptions.ConnectionError:
            print(f"Redis not reachable at {options.redis}; skipping RQ", file=sys.stderr)
        print(f"{options.jobs} no-op jobs and {options.mails} mails, {options.workers} workers")
        print(
            f"{'backend':<12} {'jobs/s':>8} {'mails/s':>8} {'enqueue p50':>12} {'p95':>8} "
            f"{'mail p95':>9}"
        )
        for name, env in runs:
            before = len(smtp.messages)
            figures = run_child(Path(__file__), env, *args)
            sent = len(smtp.messages) - before
            print(
                f"{name:<12} {figures['jobs_per_s']:>8.0f} {figures['mails_per_s']:>8.0f} "
                f"{figures['enqueue_p50_ms']:>9.2f} ms {figures['enqueue_p95_ms']:>5.2f} ms "
                f"{figures['mail_enqueue_p95_ms']:>6.2f} ms  ({sent} mails received)"
            )
    smtp.stop()


if __name__ == "__main__":
    main()
