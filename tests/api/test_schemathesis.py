"""Schemathesis against the running API (a live server with a small corpus): every operation,
as a guest and with a token of scope write, with bounded examples. No answer may be a server
error, break its schema, carry an undocumented status code or content type."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ficarchive.accounts.models import TokenScope
from tests.api.conftest import token_for
from tests.conftest import make_user
from tests.factories import WorkFactory, add_chapter

# Examples per operation and viewer: 24 operations x 2 viewers, about a minute on 2 cores.
EXAMPLES = 25
# Sequences of up to 5 linked calls in the stateful test.
STATEFUL_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def corpus(transactional_db: None, settings: Any) -> str:
    """A few works to find, by a creator whose token of scope write writes as the fuzzer."""
    settings.API_RATE_LIMIT = "100000/m"
    settings.COMMENT_USER_RATE = "100000/m"
    creator = make_user("fuzzcreator")
    for number in range(3):
        work = WorkFactory.create(title=f"Fuzz {number}", creators=[creator.default_pseud()])
        add_chapter(work, "<p>Another chapter.</p>")
    return token_for(creator, TokenScope.WRITE)


def test_every_operation_conforms(live_server: Any, corpus: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 19
    failures: list[str] = []
    for operation in operations:
        for headers in ({}, {"Authorization": f"Bearer {corpus}"}):
            failures.extend(_fuzz(operation, headers, live_server.url))
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: Any, headers: dict[str, str], url: str) -> list[str]:
    """The first failure of one operation for one viewer, if any."""

    @given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        # The fuzzer makes up credentials for the security scheme: use the real ones.
        sent = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers = {**sent, **headers}
        case.call_and_validate(base_url=url, checks=CHECKS)

    try:
        run()
    except Exception as error:
        return [f"{operation.label} ({'token' if headers else 'guest'}): {error}"]
    return []


def test_linked_operations_conform(live_server: Any, corpus: str) -> None:
    """Stateful: sequences that follow the schema's links (a work made, then read, edited,
    commented on, bookmarked; a bookmark made, then read, changed, deleted), as the fuzzer's
    creator, with the same checks on every step."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    document = schema.raw_schema
    created = document["paths"]["/api/v1/works/{work_id}/bookmarks"]["post"]["responses"]["201"]
    assert set(created["links"]) == {"bookmark_get", "bookmark_update", "bookmark_delete"}
    headers = {"Authorization": f"Bearer {corpus}"}

    class Linked(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            sent = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
            case.headers = {**sent, **headers}

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": live_server.url}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Linked.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
