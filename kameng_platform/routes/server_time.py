"""GET /v1/time: the platform's clock, unsigned, so a desk can tell how far off its own is."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import clock
from kameng_platform.models import TimeResponse

router = APIRouter()


@router.get("/v1/time", response_model=TimeResponse)
def get_time() -> dict:
    return {"server_time": clock.now()}
