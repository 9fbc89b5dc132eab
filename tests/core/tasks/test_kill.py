"""A worker killed with kill -9 in the middle of a job: the job runs again on another worker,
and the mail it sends arrives once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.core.mail import mail_enqueue, mail_render
from ficarchive.core.models import SentMail
from tests.core.tasks.conftest import REDIS_TEST_URL, database_url
from tests.core.tasks.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 30.0


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS:.0f}s for {what}")
        time.sleep(0.05)


@pytest.fixture
def start_worker(backend: str, smtp: SmtpServer) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """`ficarchive worker` in a process of its own, on the test database and mail server."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        TASKS_LEASE_SECONDS="1",
        TASKS_RETRY_SECONDS="1",
        TASKS_URL=REDIS_TEST_URL if backend == "redis" else "",
        ENV_FILE="/nonexistent",
    )
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "ficarchive", "worker", "--interval", "0.05"], cwd=ROOT, env=env
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# On the database: RQ takes back a dead worker's job through its own registries, on its own
# heartbeat timeout, which is not the archive's code to prove.
@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_a_job_whose_worker_was_killed_runs_again_and_mails_once(
    backend: str, smtp: SmtpServer, start_worker: Callable[[], subprocess.Popen[bytes]]
) -> None:
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="Why.")
    smtp.hold.set()
    key = mail_enqueue("killed@example.org", message)
    first = start_worker()
    # The worker is in the middle of the job: the server has the message, has not answered.
    wait_for(smtp.data_started.is_set, "the first worker to reach the mail server")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    smtp.hold.clear()
    [job] = DBTaskResult.objects.all()
    assert job.status == "RUNNING"
    assert smtp.to("killed@example.org") == [] and not SentMail.objects.exists()

    start_worker()
    wait_for(
        lambda: DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL",
        "the second worker to take the job back and finish it",
    )
    job.refresh_from_db()
    assert len(job.worker_ids) == 2
    assert len(smtp.to("killed@example.org")) == 1
    assert SentMail.objects.filter(key=key).count() == 1

    # Run it once more, as a worker killed after sending but before the job's end would.
    DBTaskResult.objects.filter(pk=job.pk).update(status="READY")
    wait_for(
        lambda: (
            DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"
            and len(DBTaskResult.objects.get(pk=job.pk).worker_ids) == 3
        ),
        "the job to run a third time",
    )
    assert len(smtp.to("killed@example.org")) == 1
    assert SentMail.objects.count() == 1
