"""Owner-only folders and files (0700 / 0600 on POSIX) for everything the desk writes about the shop.

The database is encrypted, but its folder also holds the store id, the instance lock, logs and the copies a
restore sets aside; nobody but the desk's own user account needs to read any of them. On Windows these calls
change nothing: the folders live in the user's profile (platformdirs: ``%LOCALAPPDATA%``), whose ACL already
admits only that user, SYSTEM and Administrators, and ``chmod`` there only toggles the read-only flag.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"

log = logging.getLogger(__name__)


def _chmod(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError as exc:
        # A portable folder on a FAT/exFAT stick has no POSIX permissions: the desk still starts, and says so.
        log.warning("could not make %s owner-only: %s", path, exc.strerror)


def private_file(path: Path) -> None:
    """Make an existing file owner-only (0600); a symlink is left alone (its target is not ours to change)."""
    if POSIX and not path.is_symlink() and path.is_file() and path.stat().st_mode & 0o777 != PRIVATE_FILE:
        _chmod(path, PRIVATE_FILE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only, for a file another library then writes (SQLite keeps the mode of an
    existing file, and gives a database's -wal, -shm and -journal files the mode of the database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    private_file(path)  # os.open's mode passes through the umask


# What the store writes in its folder: kameng.db and its -wal/-shm, .rekey/.restore copies and the copies a
# restore sets aside, the app's kameng-desk.lock; store-id.
STORE_FILES = ("kameng", "store-id")


def private_dir(path: Path, files: tuple[str, ...] = STORE_FILES) -> Path:
    """Create ``path`` (and its parents) if needed; make it and the desk's files in it (names starting with one of
    ``files``; anything else someone keeps there is theirs) owner-only.

    Called at every start, so a folder made by an older version (0755, files 0644) is tightened too."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if POSIX:
        if path.stat().st_mode & 0o777 != PRIVATE_DIR:
            _chmod(path, PRIVATE_DIR)
        for child in path.iterdir():
            if child.name.startswith(files):
                private_file(child)
    return path
