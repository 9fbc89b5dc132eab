"""The fuzz suite's longer mode, for benchmarks: `pytest tests/security/test_fuzz.py
--hypothesis-profile=fuzz-long` (CI runs Hypothesis's default number of examples)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz-long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
