"""A desk whose network made too many pairing attempts is told to wait, not that it will retry by itself."""

from __future__ import annotations

import httpx
import pytest

from kameng_desk.sync.client import pair
from kameng_desk.sync.errors import PlatformRefusedError


def test_pairing_over_the_limit_says_when_to_try_again(platform) -> None:
    for _ in range(platform.settings.pair_attempts_per_source):
        httpx.post(platform.url + "/v1/pair", json={"pairing_code": "WRONG-CODE", "device_name": "x"})
    with pytest.raises(PlatformRefusedError) as refused:
        pair(platform.url, platform.pairing_code(), "前台")
    assert refused.value.code == "too_many_attempts" and refused.value.status == 429
    assert "minutes" in str(refused.value)
