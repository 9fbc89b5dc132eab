"""The task queue: enqueue and run 10,000 no-op jobs and 1,000 mails to a loopback SMTP server
on each backend (SQLite, PostgreSQL, Redis through RQ), printing jobs per second, the workers'
CPU time per job (which, unlike jobs per second, hardly depends on what else loads the machine)
and the cost of one enqueue, p50 and p95: inside a request's transaction (what a page pays; its
commit is the page's), and alone with its own commit.

Targets: >= 500 jobs/s on PostgreSQL, >= 2,000 jobs/s on Redis, enqueue < 2 ms p95.

    uv run python bench/tasks.py --jobs 10000 --mails 1000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_workers(count: int) -> tuple[float, float]:
    """Seconds for `count` workers to empty the queue (their start included), and the CPU
    seconds they used."""
    cpu = _children_cpu()
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "ficarchive", "worker", "--batch", "--interval", "0"], cwd=ROOT
        )
        for _ in range(count)
    ]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - started, _children_cpu() - cpu


def _enqueue_in_request(enqueue: Callable[[], object], on_redis: bool) -> float:
    """Seconds one enqueue costs a request that writes in a transaction. On the database the
    job is a row of that transaction; on Redis it is pushed when the transaction commits, so
    the commit (of nothing else) is counted there."""
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        enqueue()
        if not on_redis:
            return time.perf_counter() - started
    return time.perf_counter() - started


def child(jobs: int, mails: int, workers: int) -> None:
    """Child mode: on the backend its environment names, enqueue then run; prints JSON."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from bench.noop_task import noop
    from ficarchive.core.mail import mail_enqueue, mail_render

    call_command("migrate", verbosity=0)
    on_redis = bool(settings.TASKS_URL)
    figures: dict[str, float] = {}
    costs = [_enqueue_in_request(partial(noop.enqueue, n), on_redis) for n in range(jobs)]
    figures["enqueue_p50_ms"] = _percentile(costs, 0.5) * 1000
    figures["enqueue_p95_ms"] = _percentile(costs, 0.95) * 1000
    costs = []
    for n in range(min(jobs, 1000)):
        started = time.perf_counter()
        noop.enqueue(n)
        costs.append(time.perf_counter() - started)
    figures["alone_p95_ms"] = _percentile(costs, 0.95) * 1000
    jobs += min(jobs, 1000)
    seconds, cpu = _run_workers(workers)
    figures["jobs_per_s"] = jobs / seconds
    figures["cpu_ms_per_job"] = cpu / jobs * 1000
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="A benchmark.")
    costs = [
        _enqueue_in_request(partial(mail_enqueue, f"reader{n}@example.org", message), on_redis)
        for n in range(mails)
    ]
    figures["mail_enqueue_p95_ms"] = _percentile(costs, 0.95) * 1000
    seconds, cpu = _run_workers(workers)
    figures["mails_per_s"] = mails / seconds
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--mails", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql,redis",
        help="which to run, comma-separated (default: sqlite,postgresql,redis)",
    )
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
        backends = options.backends.split(",")
        runs = []
        if "sqlite" in backends:
            runs.append(("SQLite", environment(DATA_DIR=f"{folder}/sqlite", **mail)))
        if "postgresql" in backends and fresh_postgres(options.postgres):
            runs.append(("PostgreSQL", environment(DATABASE_URL=options.postgres, **mail)))
        try:
            if "redis" in backends:
                redis.Redis.from_url(options.redis).flushdb()
                env = environment(DATA_DIR=f"{folder}/redis", TASKS_URL=options.redis, **mail)
                runs.append(("Redis (RQ)", env))
        except redis.exceptions.ConnectionError:
            print(f"Redis not reachable at {options.redis}; skipping RQ", file=sys.stderr)
        print(
            f"{options.jobs} no-op jobs (and 1,000 more enqueued alone) and {options.mails} mails,"
            f" {options.workers} workers; load average {os.getloadavg()[0]:.1f} at the start"
        )
        print(
            f"{'backend':<12} {'jobs/s':>8} {'CPU/job':>8} {'mails/s':>8} {'enqueue p50':>12} "
            f"{'p95':>8} {'alone p95':>10} {'mail p95':>9}"
        )
        for name, env in runs:
            before = len(smtp.messages)
            figures = run_child(Path(__file__), env, *args)
            sent = len(smtp.messages) - before
            print(
                f"{name:<12} {figures['jobs_per_s']:>8.0f} {figures['cpu_ms_per_job']:>5.2f} ms "
                f"{figures['mails_per_s']:>8.0f} "
                f"{figures['enqueue_p50_ms']:>9.2f} ms {figures['enqueue_p95_ms']:>5.2f} ms "
                f"{figures['alone_p95_ms']:>7.2f} ms {figures['mail_enqueue_p95_ms']:>6.2f} ms  "
                f"({sent} mails received, load {os.getloadavg()[0]:.1f})"
            )
    smtp.stop()


if __name__ == "__main__":
    main()
