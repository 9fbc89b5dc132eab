"""Updates through the real queue (the test database's, run by a worker) to a real SMTP server
on loopback: each subscriber's mail once, in one job per batch, digests aside."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.accounts.models import NotificationMail, Preference
from ficarchive.core.models import SentMail
from ficarchive.social import updates
from ficarchive.social.models import UpdateItem
from ficarchive.social.subscriptions import subscribe
from ficarchive.social.updates import updates_scan
from ficarchive.works.posting import ChapterFields, chapter_add
from tests.conftest import make_user
from tests.core.tasks.conftest import smtp  # noqa: F401 - the loopback SMTP server fixture
from tests.core.tasks.drain import drain
from tests.core.tasks.smtp import SmtpServer
from tests.factories import WorkFactory


@pytest.fixture
def database_queue(settings: Any, transactional_db: None) -> None:
    settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}


def test_a_new_chapter_mails_each_subscriber_once_in_batches(
    database_queue: None,
    smtp: SmtpServer,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(updates, "BATCH", 2)  # three batches for five readers
    author = make_user("author")
    work = WorkFactory.create(title="Lanternfall", creators=[author.default_pseud()])
    updates_scan()
    readers = [make_user(f"reader{n}") for n in range(5)]
    digester = make_user("digester")
    Preference.objects.create(user=digester, notification_mail=NotificationMail.DIGEST)
    for reader in [*readers, digester]:
        subscribe(reader, work)
    chapter_add(work, ChapterFields(text="The lanterns went out.", title="Dark"))
    updates_scan()
    drain("database")
    updates_scan()
    drain("database")
    for reader in readers:
        [message] = smtp.to(reader.email)
        assert message["Subject"] == "New chapter of Lanternfall: Chapter 2: Dark"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.to(digester.email) == []
    assert UpdateItem.objects.count() == 6
    assert SentMail.objects.count() == 5
    # One mail job per batch of subscribers (the digest reader's notification waits).
    mail_jobs = DBTaskResult.objects.filter(task_path__endswith="notifications_mail")
    assert mail_jobs.count() == 3
