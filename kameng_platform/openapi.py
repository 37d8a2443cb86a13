"""The checked-in OpenAPI document (resources/openapi.json) is generated here; a test compares them."""

from __future__ import annotations

import json

from kameng_platform.app import create_app
from kameng_platform.settings import PlatformSettings


def document() -> str:
    app = create_app(PlatformSettings("sqlite://", bytes(32)), run_migrations=False)
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
