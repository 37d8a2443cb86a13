"""Make the spoken-confirmation clips (resources/voice/*.wav) with espeak-ng's Mandarin voice, once.

    apt-get install -y espeak-ng        # or the Windows installer from github.com/espeak-ng/espeak-ng
    python tools/make_voice_clips.py    # rewrites resources/voice/, prints each clip and the total size

The clips are committed: the app and its tests never need espeak-ng. Each clip is one word of
kameng_desk.records.voice.CLIPS, synthesised at 22050 Hz, halved to 11025 Hz (two samples averaged: a low-pass
enough for speech, whose energy lies below 4 kHz), 16-bit mono, its leading and trailing silence trimmed to a
short pause, so joined clips sound like one phrase and the bundle grows by about 200 KB.
"""

from __future__ import annotations

import array
import io
import shutil
import subprocess
import sys
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kameng_desk.records.voice import CLIPS, FOLDER  # after the path above: run as a script

VOICE = "cmn"
SPEED = 190  # words per minute (espeak-ng: 175): the shop speakers say a short phrase briskly
RATE = 11_025
SILENCE = 600  # of 32767: below this a sample counts as silence
PAUSE_MS = {"word": 25, "phrase": 90}  # kept before and after a clip: the numerals run together, a phrase breathes


def synthesise(text: str) -> tuple[int, array.array]:
    wav = subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED), "--stdout", text], check=True,
                         capture_output=True).stdout
    with wave.open(io.BytesIO(wav), "rb") as source:
        if (source.getnchannels(), source.getsampwidth()) != (1, 2):
            raise SystemExit(f"espeak-ng gave {source.getnchannels()} channel(s) of {source.getsampwidth()} bytes")
        samples = array.array("h", source.readframes(source.getnframes()))
        return source.getframerate(), samples


def halve(samples: array.array) -> array.array:
    return array.array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)))


def trim(samples: array.array, pause_ms: int) -> array.array:
    loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE]
    if not loud:
        raise SystemExit("espeak-ng produced silence")
    keep = RATE * pause_ms // 1000
    return samples[max(0, loud[0] - keep):loud[-1] + keep]


def make(folder: Path = FOLDER) -> int:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng not found: apt-get install -y espeak-ng")
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for text, name in CLIPS.items():
        rate, samples = synthesise(text)
        if rate != 2 * RATE:
            raise SystemExit(f"espeak-ng speaks at {rate} Hz, this script halves 22050 Hz")
        clip = trim(halve(samples), PAUSE_MS["phrase" if len(text) > 1 else "word"])
        path = folder / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(clip.tobytes())
        size = path.stat().st_size
        total += size
        print(f"{path.name:16} {text:6} {len(clip) / RATE:5.2f} s {size / 1024:6.1f} KB")
    print(f"total {total / 1024:.1f} KB in {len(CLIPS)} clips")
    return total


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
