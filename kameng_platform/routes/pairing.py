"""POST /v1/pair: a one-time pairing code for a terminal id and secret, rate-limited per source."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kameng_platform import terminals
from kameng_platform.errors import ApiError
from kameng_platform.models import ErrorResponse, PairRequest, PairResponse
from kameng_platform.routes.deps import ERRORS, ServicesDep

router = APIRouter()


@router.post("/v1/pair", response_model=PairResponse, responses={**ERRORS, 429: {"model": ErrorResponse}})
def post_pair(body: PairRequest, request: Request, platform: ServicesDep) -> dict:
    # Committed before the code is checked, in a transaction of its own: a refused attempt counts too.
    retry_after = platform.in_transaction(terminals.count_pairing_attempt, request.client and request.client.host,
                                     platform.pairing_limits)
    if retry_after is not None:
        raise ApiError(429, "too_many_attempts", f"Too many pairing attempts; try again in {retry_after} s.",
                       {"Retry-After": str(retry_after)})
    return platform.in_transaction(terminals.pair, platform.sealer, body.pairing_code, body.device_name)
