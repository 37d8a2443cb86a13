"""The gate of every console browser test module: Playwright and Debian's Chromium, or the module is skipped on a
developer's machine (and fails on CI, which installs both). The fixtures themselves are in conftest.py."""

from __future__ import annotations

import os
from types import ModuleType

import pytest


def require_browser() -> ModuleType:
    """tests.platform.console_browser, imported; called at a test module's top."""
    support = pytest.importorskip("tests.platform.console_browser", reason="playwright is not installed")
    if (missing := support.chromium_missing()) is not None:
        if os.environ.get("CI"):
            raise RuntimeError(f"{missing}: CI runs the browser tests (dev.py test installs Debian's chromium)")
        pytest.skip(f"{missing} (python3 dev.py test installs it)", allow_module_level=True)
    return support
