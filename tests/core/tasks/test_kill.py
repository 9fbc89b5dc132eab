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
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.core.mail import mail_enqueue, mail_render
from ficarchive.core.models import SentMail
from ficarchive.core.queue.rq_worker import ArchiveJob
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
def start_worker(
    backend: str, smtp: SmtpServer
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """`ficarchive worker` in a process of its own, on the test database and mail server."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        TASKS_RETRY_SECONDS="1",
        TASKS_URL=REDIS_TEST_URL if backend == "redis" else "",
        ENV_FILE="/nonexistent",
    )
    started: list[subprocess.Popen[bytes]] = []

    def start(lease: int = 1) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "ficarchive", "worker", "--interval", "0.05"],
            cwd=ROOT,
            env={**env, "TASKS_LEASE_SECONDS": str(lease)},
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


class Jobs:
    """The one job of the test, on the database backend or on RQ."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        if backend == "database":
            [job] = DBTaskResult.objects.all()
            self.id = str(job.pk)
        else:
            [self.id] = self._queue().get_job_ids()

    def _queue(self) -> Any:
        import django_rq

        return django_rq.get_queue("default", job_class=ArchiveJob)

    def _rq_job(self) -> Any:
        return ArchiveJob.fetch(self.id, connection=self._queue().connection)

    def state(self) -> str:
        if self.backend == "database":
            return {"RUNNING": "running", "SUCCESSFUL": "finished"}.get(
                DBTaskResult.objects.get(pk=self.id).status, "other"
            )
        return {"started": "running", "finished": "finished"}.get(
            self._rq_job().get_status(), "other"
        )

    def tries(self) -> int:
        """Runs begun, the killed one included."""
        if self.backend == "database":
            return len(DBTaskResult.objects.get(pk=self.id).worker_ids)
        job = self._rq_job()
        return int(job.meta["max_attempts"]) - (job.retries_left or 0)

    def runs_finished(self) -> int:
        if self.backend == "database":
            # Tries begun, less the killed one, less one still running.
            return self.tries() - 1 - (0 if self.state() == "finished" else 1)
        return len(self._rq_job().results())

    def run_again(self) -> None:
        """Queue the finished job once more, as a worker killed after sending but before
        recording the job's end would leave it."""
        if self.backend == "database":
            DBTaskResult.objects.filter(pk=self.id).update(status="READY")
        else:
            self._queue().enqueue_job(self._rq_job())


def test_a_job_whose_worker_was_killed_runs_again_and_mails_once(
    backend: str, smtp: SmtpServer, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="Why.")
    smtp.hold.set()
    key = mail_enqueue("killed@example.org", message)
    jobs = Jobs(backend)
    first = start_worker()
    # The worker is in the middle of the job: the server has the message, has not answered.
    wait_for(smtp.data_started.is_set, "the first worker to reach the mail server")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    smtp.hold.clear()
    assert jobs.state() == "running"
    assert smtp.to("killed@example.org") == [] and not SentMail.objects.exists()

    start_worker()
    wait_for(
        lambda: jobs.state() == "finished",
        "the second worker to take the job back and finish it",
    )
    # The killed run counted as a try.
    assert jobs.tries() == 2
    assert jobs.runs_finished() == 1
    assert len(smtp.to("killed@example.org")) == 1
    assert SentMail.objects.filter(key=key).count() == 1

    jobs.run_again()
    wait_for(lambda: jobs.runs_finished() == 2, "the job to run a third time")
    assert len(smtp.to("killed@example.org")) == 1
    assert SentMail.objects.count() == 1


def test_a_job_longer_than_the_lease_runs_once(
    backend: str, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    """Its worker renews its lease while it runs: the other worker, idle, leaves it alone.
    (A lease of 2 s, renewed every 0.5 s, as a shorter one could run out on a loaded machine.)"""
    from tests.core.tasks.jobs import slow_run

    slow_run.enqueue("slow", 5)
    start_worker(lease=2)
    start_worker(lease=2)
    wait_for(lambda: SentMail.objects.exists(), "the job to end")
    time.sleep(2.5)  # time for a wrong second run to end as well
    assert SentMail.objects.filter(key__startswith="slow:").count() == 1


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_jobs_a_killed_worker_took_but_had_not_begun_run_once_elsewhere(
    backend: str, smtp: SmtpServer, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    """A Redis worker takes quick jobs in batches (1, then 2, then 4): killed in the middle of
    the third batch's first job, the three it took after that go back to the queue once the
    worker is silent for a lease, and another worker runs each of them once."""
    import django_rq

    from bench.noop_task import noop

    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="Why.")
    smtp.hold.set()
    for n in range(3):
        noop.enqueue(n)
    mail_enqueue("batch@example.org", message)
    for n in range(3, 23):
        noop.enqueue(n)
    queue = django_rq.get_queue("default", job_class=ArchiveJob)
    ids = queue.get_job_ids()
    connection = queue.connection
    first = start_worker()
    wait_for(smtp.data_started.is_set, "the first worker to reach the mail server")
    [taken_key] = connection.keys("ficarchive:rq:taken:*")
    assert connection.llen(taken_key) == 3
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    smtp.hold.clear()

    start_worker()

    def all_finished() -> bool:
        return all(
            ArchiveJob.fetch(i, connection=connection).get_status() == "finished" for i in ids
        )

    wait_for(all_finished, "the second worker to run every job")
    assert connection.keys("ficarchive:rq:taken:*") == []
    for job_id in ids:
        job = ArchiveJob.fetch(job_id, connection=connection)
        assert len(job.results()) == 1, job.func_name
    assert len(smtp.to("batch@example.org")) == 1
