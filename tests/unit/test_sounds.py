"""The counter's cues: short WAVs of the intended pitch, written once into the cache, and a switch that silences."""

from __future__ import annotations

import io
import itertools
import struct
import wave

from kameng_desk.records.sounds import RATE, TONES, Cue, Sounds, wav_bytes, write_cues


def samples(data: bytes) -> tuple[wave._wave_params, list[int]]:
    with wave.open(io.BytesIO(data)) as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    return params, list(struct.unpack(f"<{len(frames) // 2}h", frames))


def test_cues_are_short_tones_of_their_pitch() -> None:
    params, success = samples(wav_bytes(TONES[Cue.SUCCESS]))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, RATE)
    assert len(success) == RATE * 70 // 1000
    crossings = sum((a < 0) != (b < 0) for a, b in itertools.pairwise(success))
    assert abs(crossings / 2 / 0.070 - 1760) < 40  # its pitch, in Hz
    assert success[0] == 0 and success[-1] == 0 and max(success) > 10_000  # fades in and out, loud enough
    _, error = samples(wav_bytes(TONES[Cue.ERROR]))
    pause = error[RATE * 110 // 1000: RATE * 160 // 1000]
    assert len(error) / RATE < 0.4 and not any(pause)  # a double buzz, over before the next scan


def test_cue_files_are_written_once(tmp_path) -> None:
    files = write_cues(tmp_path / "sounds")
    assert set(files) == set(Cue) and files[Cue.ERROR].read_bytes() == wav_bytes(TONES[Cue.ERROR])
    stamp = files[Cue.SUCCESS].stat().st_mtime_ns
    files[Cue.ERROR].write_bytes(b"damaged")
    again = write_cues(tmp_path / "sounds")
    assert again[Cue.SUCCESS].stat().st_mtime_ns == stamp and again[Cue.ERROR].read_bytes()[:4] == b"RIFF"


def test_the_switch_silences_and_no_player_is_silent() -> None:
    heard: list[Cue] = []
    sounds = Sounds(heard.append)
    sounds.play(Cue.SUCCESS)
    sounds.enabled = False
    sounds.play(Cue.ERROR)
    Sounds().play(Cue.ERROR)
    assert heard == [Cue.SUCCESS]
