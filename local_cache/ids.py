"""Identifiers and timestamps: UUIDv7 ids (time-ordered), UTC ISO-8601 strings in storage."""

from __future__ import annotations

from datetime import UTC, datetime

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())


def utc_now() -> str:
    return format_utc(datetime.now(UTC))


def format_utc(moment: datetime) -> str:
    # Fixed width, so string order is time order in SQL.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
