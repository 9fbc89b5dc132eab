"""A failing job is tried again with backoff a bounded number of times, then kept as failed
with its error, where `ficarchive tasks` lists it and `--retry` queues it again."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ficarchive.core.queue.backends import retry_delay
from ficarchive.core.queue.inspect import jobs_list
from tests.conftest import make_user
from tests.core.tasks.drain import drain
from tests.core.tasks.jobs import always_fails, record_once


def tasks_output(*args: str) -> str:
    out = StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def drain_until_failed(backend: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not jobs_list(("failed",)) and time.monotonic() < deadline:
        drain(backend)
        time.sleep(0.2)


def test_backoff_grows_and_is_bounded(settings: object) -> None:
    assert retry_delay(1) == 10 and retry_delay(2) == 40 and retry_delay(3) == 160
    assert retry_delay(20) == 3600


def test_a_failing_job_is_retried_then_kept_as_failed_with_its_error(backend: str) -> None:
    always_fails.enqueue("first")
    drain(backend)
    # One try made; the next waits for its backoff.
    [queued] = jobs_list(("queued",))
    assert queued.task.endswith("always_fails")
    assert not jobs_list(("failed",))
    drain_until_failed(backend)
    [failed] = jobs_list(("failed",))
    assert failed.attempts == 3
    assert "broken on purpose: first" in failed.error
    assert not jobs_list(("queued",))
    listing = tasks_output("--state", "failed")
    assert failed.id in listing and "broken on purpose: first" in listing and "tries=3" in listing


def test_retry_queues_a_failed_job_again(backend: str) -> None:
    always_fails.enqueue("again")
    drain_until_failed(backend)
    [failed] = jobs_list(("failed",))
    assert f"queued {failed.id} again" in tasks_output("--retry", failed.id)
    assert [job.id for job in jobs_list(("queued",))] == [failed.id]
    with pytest.raises(CommandError):
        tasks_output("--retry", "no-such-job")


def test_a_job_run_twice_writes_one_row(backend: str) -> None:
    record_once.enqueue("the-key")
    record_once.enqueue("the-key")
    drain(backend)
    from ficarchive.core.models import SentMail

    assert SentMail.objects.filter(key="the-key").count() == 1
    assert "no jobs" in tasks_output()


@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_an_admin_retries_failed_jobs_from_the_admin_page(backend: str, client: Client) -> None:
    """The admin lists the database backend's jobs; its action is `--retry`'s."""
    always_fails.enqueue("from the admin")
    drain_until_failed(backend)
    record_once.enqueue("done")
    drain(backend)
    [failed] = jobs_list(("failed",))
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(url).content.decode()
    assert "Retry the selected failed jobs" in page and failed.id in page
    response = client.post(
        url,
        {"action": "retry", "_selected_action": [failed.id, str(done.pk)]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 failed jobs queued again." in page
    assert "1 jobs were not failed and are left as they were." in page
    assert [job.id for job in jobs_list(("queued",))] == [failed.id]
    assert DBTaskResult.objects.get(pk=done.pk).status == "SUCCESSFUL"
    drain(backend)
    # It had one more try, and failed again.
    [again] = jobs_list(("failed",))
    assert again.id == failed.id and again.attempts == failed.attempts + 1
