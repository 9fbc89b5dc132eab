"""Library figures, on a fresh SQLite database in a temporary folder (or PostgreSQL with
--postgres URL), with a loopback SMTP server:

    uv run python bench/library.py [--subscribers 10000] [--workers 2] [--requests 300]

(a) A new chapter on a work with N subscribers: seconds from the posting until every inbox
    item exists, and until the SMTP server holds every mail, with `--workers` database
    workers running (the notifier's scan is called at once, as the scheduler does within its
    2-second period). Baseline in the same run: 1,000 mails queued one job per message, as
    notify sends them, against the batched path's mails per second.
(b) Work page throughput for a logged-in reader (chapter pages through Django's test client,
    no page cache), with reading history on and off in alternating rounds; the ratio is on/off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wait(condition: object, limit: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if condition():  # type: ignore[operator]
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", default="")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from tests.core.tasks.smtp import SmtpServer

    smtp = SmtpServer()
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-library-"))
    os.environ.update(
        DATA_DIR=str(folder),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        DEBUG="true",
    )
    if options.postgres:
        from bench.common import fresh_postgres

        if not fresh_postgres(options.postgres):
            return
        os.environ["DATABASE_URL"] = options.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("TASKS_URL", None)
    from bench.common import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from ficarchive.accounts.models import Preference, Pseud, User
    from ficarchive.core.mail import mail_enqueue, mail_render
    from ficarchive.social.models import Subscription, UpdateItem
    from ficarchive.social.updates import updates_scan
    from ficarchive.works.posting import ChapterFields, chapter_add
    from tests.factories import WorkFactory

    load = os.getloadavg()[0]
    backend = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    author = User.objects.create_user("benchauthor", "author@example.org", "a long passphrase")
    Pseud.objects.create(user=author, name="benchauthor", is_default=True)
    work = WorkFactory.create(title="Benchmark Tides", creators=[author.default_pseud()])
    users = User.objects.bulk_create(
        [
            User(username=f"sub{n}", email=f"sub{n}@example.org", password="!")
            for n in range(options.subscribers)
        ]
    )
    users = list(User.objects.filter(username__startswith="sub"))
    Subscription.objects.bulk_create([Subscription(user=user, work=work) for user in users])
    updates_scan()

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "ficarchive", "worker", "--interval", "0.1"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(options.workers)
    ]
    try:
        time.sleep(3)  # the workers' start
        started = time.perf_counter()
        chapter_add(work, ChapterFields(text="The tide came in.", title="Flood"))
        updates_scan()
        wanted = options.subscribers
        inbox = _wait(lambda: UpdateItem.objects.count() >= wanted, 120)
        inbox_total = None if inbox is None else time.perf_counter() - started
        mails = _wait(lambda: len(smtp.messages) >= wanted, 300)
        mail_total = None if mails is None else time.perf_counter() - started
        batched_rate = wanted / mail_total if mail_total else 0.0

        # Baseline: the same mail, one job per message (notify's path), 1,000 of them.
        before = len(smtp.messages)
        message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="A bench.")
        base_started = time.perf_counter()
        for n in range(1000):
            mail_enqueue(f"base{n}@example.org", message)
        done = _wait(lambda: len(smtp.messages) >= before + 1000, 300)
        base_rate = 1000 / (time.perf_counter() - base_started) if done is not None else 0.0
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()

    print(
        f"(a) {backend}, {wanted:,} subscribers, {options.workers} workers, "
        f"load average {load:.1f} at the start"
    )
    inbox_line = "not reached in 120 s" if inbox_total is None else f"{inbox_total:.1f} s"
    mail_line = "not reached" if mail_total is None else f"{mail_total:.1f} s"
    print(f"    every inbox item: {inbox_line} (target 10 s)")
    print(f"    every mail at the SMTP server: {mail_line} (target 60 s)")
    print(
        f"    mails/s batched {batched_rate:.0f} vs one job a message {base_rate:.0f}: "
        f"ratio {batched_rate / base_rate if base_rate else 0:.1f}x"
    )

    # (b) History on and off.
    reader = users[0]
    client = Client(HTTP_HOST="localhost")
    client.force_login(reader)
    chapter = work.chapters.order_by("position").last()
    assert chapter is not None
    url = f"/works/{work.pk}/chapters/{chapter.pk}"
    client.get(url)
    preference, _ = Preference.objects.get_or_create(user=reader)
    rounds = 6
    seconds = {True: 0.0, False: 0.0}
    for round_number in range(rounds):
        for on in (True, False) if round_number % 2 == 0 else (False, True):
            Preference.objects.filter(pk=preference.pk).update(reading_history=on)
            reader.refresh_from_db()
            started = time.perf_counter()
            for _ in range(options.requests // rounds):
                assert client.get(url).status_code == 200
            seconds[on] += time.perf_counter() - started
    count = (options.requests // rounds) * rounds
    on_rate, off_rate = count / seconds[True], count / seconds[False]
    print(
        f"(b) {backend}, work page for a logged-in reader, {count} requests each, load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print(
        f"    history on {on_rate:.0f} req/s, off {off_rate:.0f} req/s: "
        f"ratio {on_rate / off_rate:.2f} (target at least 0.90)"
    )
    smtp.stop()


if __name__ == "__main__":
    main()
