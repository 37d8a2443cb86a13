"""Spoken confirmation: amounts in the QR speakers' words, and one WAV joined from the committed clips."""

from __future__ import annotations

import io
import wave

import pytest

from kameng_desk.records.voice import (
    CLIPS,
    FOLDER,
    Announcement,
    Event,
    Voice,
    VoiceClipError,
    amount_words,
    join_clips,
    paid_event,
    words,
)


def said(fen: int) -> str:
    return "".join(amount_words(fen))


@pytest.mark.parametrize(("fen", "spoken"), [
    (1, "零点零一元"), (10, "零点一元"), (100, "一元"), (1000, "十元"), (1100, "十一元"), (2000, "二十元"),
    (10000, "一百元"), (10100, "一百零一元"), (11000, "一百一十元"), (100000, "一千元"), (100100, "一千零一元"),
    (1000000, "一万元"), (9999999, "九万九千九百九十九点九九元"),
    (0, "零元"), (1005, "十点零五元"), (1050, "十点五元"), (1001000, "一万零一十元"), (1005000, "一万零五十元"),
    (10100000, "十万一千元"), (10010000, "十万零一百元"), (1010000000, "一千零一十万元"), (2000000, "二万元"),
    (123456789, "一百二十三万四千五百六十七点八九元"),
])
def test_amounts_are_said_as_the_qr_speakers_say_them(fen: int, spoken: str) -> None:
    assert said(fen) == spoken


def test_amounts_beyond_the_numerals_are_refused() -> None:
    for fen in (-1, 10**10):
        with pytest.raises(ValueError, match="spoken"):
            amount_words(fen)


def test_the_phrase_names_the_app_or_the_refund() -> None:
    assert "".join(words(paid_event("wechat"), 11000)) == "微信收款一百一十元"
    assert "".join(words(paid_event("alipay"), 1005)) == "支付宝收款十点零五元"
    assert "".join(words(paid_event(None), 100)) == "收款一元"  # 易支付: the gateway does not say which app
    assert "".join(words(Event.REFUND, 500)) == "退款五元"


def frames(data: bytes) -> tuple[tuple[int, int, int], int]:
    with wave.open(io.BytesIO(data)) as wav:
        return (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()), wav.getnframes()


def test_the_wav_is_its_clips_one_after_another() -> None:
    phrase = words(Event.WECHAT, 11000)
    form, length = frames(join_clips(phrase))
    clips = [frames((FOLDER / f"{CLIPS[w]}.wav").read_bytes()) for w in phrase]
    assert form == (1, 2, 11025) and {f for f, _ in clips} == {form}
    assert length == sum(n for _, n in clips) and 1.5 < length / 11025 < 6  # a few seconds, like a speaker


def test_every_word_has_a_small_committed_clip_with_sound_in_it() -> None:
    sizes = 0
    for name in CLIPS.values():
        data = (FOLDER / f"{name}.wav").read_bytes()
        sizes += len(data)
        with wave.open(io.BytesIO(data)) as wav:
            samples = memoryview(wav.readframes(wav.getnframes())).cast("h")
        assert max(map(abs, samples)) > 3000, name  # speech, not silence
    assert sizes < 300 * 1024  # the installer bundle is near its size limit
    assert len({(FOLDER / f"{n}.wav").read_bytes() for n in CLIPS.values()}) == len(CLIPS)  # no clip twice


def test_the_voice_plays_one_wav_when_on_and_nothing_when_off(tmp_path) -> None:
    heard: list[bytes] = []
    voice = Voice(heard.append)
    voice.say(Announcement(Event.REFUND, 1234))
    assert len(heard) == 1 and frames(heard[0])[1] == frames(join_clips(words(Event.REFUND, 1234)))[1]
    voice.enabled = False
    voice.say(Announcement(Event.REFUND, 1234))
    assert len(heard) == 1


def test_a_damaged_clip_is_logged_and_the_sale_goes_on(tmp_path, caplog) -> None:
    (tmp_path / "refund.wav").write_bytes(b"not a wav")
    heard: list[bytes] = []
    Voice(heard.append, folder=tmp_path).say(Announcement(Event.REFUND, 100))
    assert heard == [] and "refund.wav" in caplog.text and "Reinstall" in caplog.text
    with pytest.raises(VoiceClipError, match="missing"):
        join_clips(["一"], tmp_path)
