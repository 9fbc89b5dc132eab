"""How many jobs a worker takes at once, on the database and on Redis."""

# A worker claims as many jobs at once as it expects to finish in CLAIM_SECONDS, judged by how
# long its last ones took (at most CLAIM_MAX): quick jobs cost one claim per batch instead of
# one each, and a slow job is claimed alone, so that idle workers are free to take the rest.
CLAIM_SECONDS = 0.05
CLAIM_MAX = 50


def claim_size(last: int, seconds_per_job: float) -> int:
    """How many jobs to claim next, after jobs that took `seconds_per_job` each; it grows at
    most twofold each time, so that one quick job does not claim a crowd of slow ones."""
    fits = int(CLAIM_SECONDS / max(seconds_per_job, 1e-6))
    return max(1, min(CLAIM_MAX, 2 * last, fits))
