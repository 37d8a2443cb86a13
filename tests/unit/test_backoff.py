"""Retry delays: capped exponential backoff with full jitter, never shorter than the server's Retry-After."""

from __future__ import annotations

import random

from kameng_desk.usecases.syncing import Backoff


def test_full_jitter_grows_and_is_capped() -> None:
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(12)]
    bounds = [min(60.0, 2.0 ** n) for n in range(1, 13)]
    assert all(0 <= d <= b for d, b in zip(delays, bounds, strict=True))
    assert max(delays) <= 60.0 and len(set(delays)) == len(delays)  # jittered, not a fixed ladder
    many = [Backoff(rng=random.Random(s)).next_delay() for s in range(200)]
    assert 0.5 < sum(many) / len(many) < 1.5  # uniform over [0, 2] after one failure


def test_retry_after_is_honoured_and_reset_starts_over() -> None:
    backoff = Backoff(rng=random.Random(2))
    assert backoff.next_delay(retry_after=30.0) >= 30.0
    backoff.reset()
    assert backoff.failures == 0 and backoff.next_delay() <= 2.0
