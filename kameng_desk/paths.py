"""Where the desk keeps its files: platformdirs by default, or a folder given on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kameng_desk.logging_setup import LOG_NAME
from local_cache.files import private_dir

APP_NAME = "KamengDesk"
APP_AUTHOR = "Kameng"


@dataclass(frozen=True)
class DeskPaths:
    data_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> DeskPaths:
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        )

    @classmethod
    def portable(cls, data_dir: Path) -> DeskPaths:
        # A chosen folder keeps everything together (portable installs, tests, the demo).
        data_dir = data_dir.expanduser().resolve()
        return cls(data_dir=data_dir, log_dir=data_dir / "logs")

    def ensure(self) -> DeskPaths:
        """Both folders exist and are owner-only (0700, their files 0600: see local_cache.files)."""
        private_dir(self.data_dir)
        private_dir(self.log_dir, files=(LOG_NAME,))
        return self
