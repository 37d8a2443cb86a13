"""PUT /v1/shift-reports/{shift_id}: a closed shift's Z report."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import shift_reports
from kameng_platform.models import PathId, ShiftReportIn, ShiftReportOut
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.put("/v1/shift-reports/{shift_id}", response_model=ShiftReportOut, responses=ERRORS)
def put_shift_report(shift_id: PathId, body: ShiftReportIn, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """A closed shift's Z report; the same upload again is a duplicate, different figures a conflict."""
    return platform.in_transaction(shift_reports.store, terminal, shift_id, body)
