"""How the counter's cues (kameng_desk.records.sounds) and the spoken confirmation (kameng_desk.records.voice) are
played on this machine.

QtMultimedia (QSoundEffect) is not part of PySide6-Essentials, the binding the desk ships. On Windows, where shops
run the desk, the standard library's winsound plays the cue WAVs without waiting; elsewhere (a Linux test or
demo machine) the error cue is the system beep, success is silent and the voice is skipped (logged).
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QApplication

from kameng_desk.paths import APP_AUTHOR, APP_NAME
from kameng_desk.records.sounds import Cue, Sounds, write_cues
from kameng_desk.records.voice import Voice

log = logging.getLogger(__name__)


def _beep(cue: Cue) -> None:
    if cue is Cue.ERROR:
        QApplication.beep()


def machine_sounds(cache_dir: Path | None = None) -> Sounds:
    """The app's player: the WAV cues where the platform can play them, the system beep otherwise."""
    if sys.platform != "win32":
        return Sounds(_beep)
    import winsound

    try:
        files = write_cues(cache_dir or Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "sounds")
    except OSError as exc:  # a full or read-only disk: the cashier still hears errors
        log.warning("cannot write the sound cues (%s): using the system beep", type(exc).__name__)
        return Sounds(_beep)

    def play(cue: Cue) -> None:
        # SND_ASYNC: the counter never waits for a sound; SND_NODEFAULT: no Windows chime if the file went missing.
        winsound.PlaySound(str(files[cue]), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
    return Sounds(play)


def machine_voice() -> Voice:
    """The spoken confirmation's player: winsound from memory on Windows (no file to write), on its own thread
    because winsound plays memory only synchronously; nothing elsewhere."""
    if sys.platform != "win32":
        return Voice(lambda audio: log.debug("no audio device here: %d bytes of speech skipped", len(audio)))
    import winsound

    def play(audio: bytes) -> None:
        threading.Thread(target=winsound.PlaySound, args=(audio, winsound.SND_MEMORY | winsound.SND_NODEFAULT),
                         name="spoken confirmation", daemon=True).start()
    return Voice(play)
