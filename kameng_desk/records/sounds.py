"""The counter's short cues, as counters beep: a high blip when a scan adds a product, a low double buzz when a
scan finds nothing or something went wrong. Plain Python: the WAVs are synthesised here (stdlib `wave`), the GUI
layer (kameng_desk.gui.sounds) decides how they are played; the owner switches them off in the settings."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

SETTING = "sounds"  # the shop setting (usecases.shop_admin.ShopSettings.sounds): on unless the owner turns it off
RATE = 22_050


class Cue(StrEnum):
    SUCCESS = "success"
    ERROR = "error"


@dataclass(frozen=True)
class Tone:
    hz: int  # 0 is a pause
    ms: int


# Short enough not to hold up the next scan (a scanner sends the next code within half a second).
TONES: dict[Cue, tuple[Tone, ...]] = {
    Cue.SUCCESS: (Tone(1760, 70),),
    Cue.ERROR: (Tone(330, 110), Tone(0, 50), Tone(330, 160)),
}


def wav_bytes(tones: tuple[Tone, ...], rate: int = RATE) -> bytes:
    """16-bit mono PCM; each tone fades in and out over 5 ms so it starts and stops without a click."""
    frames = bytearray()
    fade = rate * 5 // 1000
    for tone in tones:
        count = rate * tone.ms // 1000
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            sample = 0.4 * envelope * math.sin(2 * math.pi * tone.hz * i / rate) if tone.hz else 0.0
            frames += struct.pack("<h", round(sample * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def write_cues(folder: Path) -> dict[Cue, Path]:
    """The cue files in `folder` (the app's cache), rewritten only when they differ from today's tones."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for cue, tones in TONES.items():
        path, data = folder / f"{cue.value}.wav", wav_bytes(tones)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        files[cue] = path
    return files


class Sounds:
    """What the screens call; `backend` makes the noise (None: silent, as in the tests unless they listen)."""

    def __init__(self, backend: Callable[[Cue], None] | None = None, enabled: bool = True) -> None:
        self.backend, self.enabled = backend, enabled

    def play(self, cue: Cue) -> None:
        if self.enabled and self.backend is not None:
            self.backend(cue)
