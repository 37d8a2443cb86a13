"""Spoken confirmation, as the shops' QR speakers say it: "微信收款一百一十元", "支付宝收款…", "退款…元".

Offline and concatenative: each word is a short clip in resources/voice/ (made once with espeak-ng's Mandarin
voice by tools/make_voice_clips.py and committed, so neither the app nor its tests need espeak-ng), and a phrase is
its words' clips joined into one WAV. Amounts are read the way the speakers read them: the whole yuan in Chinese
numerals, then 点 and each decimal digit (10.05 元 is 十点零五元, 0.10 元 is 零点一元), never 角/分. Plain Python:
the GUI layer (kameng_desk.gui.sounds) decides how the WAV is played; the owner switches it off in the settings.
"""

from __future__ import annotations

import io
import logging
import wave
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

log = logging.getLogger(__name__)

SETTING = "spoken_confirmation"  # usecases.shop_admin.ShopSettings.spoken_confirmation
FOLDER = Path(__file__).resolve().parents[2] / "resources" / "voice"
DIGITS = "零一二三四五六七八九"
# Each word a clip says, and its file (ASCII names: the installer and every file system take them as they are).
CLIPS: dict[str, str] = {
    **{digit: name for digit, name in zip(DIGITS, ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"),
                                          strict=True)},
    "十": "shi", "百": "bai", "千": "qian", "万": "wan", "点": "dian", "元": "yuan",
    "微信收款": "wechat_paid", "支付宝收款": "alipay_paid", "收款": "paid", "退款": "refund",
}
LARGEST_FEN = 10**8 * 100 - 1  # 99999999.99 元: the numerals go up to 万 (a counter never takes 亿)


class Event(StrEnum):
    """What is announced: a payment by an app, a payment whose app is not known (易支付), a refund."""
    WECHAT = "微信收款"
    ALIPAY = "支付宝收款"
    PAID = "收款"
    REFUND = "退款"


class VoiceClipError(Exception):
    """A clip is missing or not in the clips' format: the installation is damaged (reinstall the app)."""

    def __init__(self, clip: Path, why: str) -> None:
        super().__init__(f"Voice clip {clip.name}: {why}. Reinstall the app to restore resources/voice/.")
        self.clip = clip


def paid_event(app: str | None) -> Event:
    """The announcement for a payment by `app` ("wechat", "alipay", or None when the gateway does not say)."""
    return {"wechat": Event.WECHAT, "alipay": Event.ALIPAY}.get(app or "", Event.PAID)


def _below_10000(n: int, leading: bool) -> list[str]:
    """1..9999 in numerals; a leading 一十 is said 十 (十一元, but 一百一十元 and 一万零一十元)."""
    words: list[str] = []
    gap = False
    for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // value % 10
        if digit == 0:
            gap = gap or bool(words)
            continue
        if gap:  # one 零 for any run of zeros between two digits (一千零一)
            words.append("零")
            gap = False
        if not (unit == "十" and digit == 1 and leading and not words):
            words.append(DIGITS[digit])
        if unit:
            words.append(unit)
    return words


def integer_words(n: int) -> list[str]:
    if not 0 <= n < 10**8:
        raise ValueError(f"{n} is outside what the spoken numerals cover (0 to 99999999)")
    if n == 0:
        return ["零"]
    high, low = divmod(n, 10_000)
    words: list[str] = []
    if high:
        words += [*_below_10000(high, leading=True), "万"]
        if 0 < low < 1000:
            words.append("零")  # 一万零五十
    if low:
        words += _below_10000(low, leading=not high)
    return words


def amount_words(fen: int) -> list[str]:
    """An amount in fen as the speakers say it: 一百一十元, 十点零五元, 零点零一元."""
    if not 0 <= fen <= LARGEST_FEN:
        raise ValueError(f"{fen} fen is outside what can be spoken")
    yuan, cents = divmod(fen, 100)
    words = integer_words(yuan)
    if cents:
        jiao, fen_digit = divmod(cents, 10)
        words += ["点", DIGITS[jiao]] + ([DIGITS[fen_digit]] if fen_digit else [])
    return [*words, "元"]


def words(event: Event, amount_fen: int) -> list[str]:
    return [event.value, *amount_words(amount_fen)]


def _read_clip(path: Path) -> tuple[tuple[int, int, int], bytes]:
    try:
        with wave.open(str(path), "rb") as clip:
            return (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()), clip.readframes(clip.getnframes())
    except FileNotFoundError:
        raise VoiceClipError(path, "missing") from None
    except (wave.Error, EOFError) as exc:
        raise VoiceClipError(path, f"not a WAV file ({exc})") from None


def join_clips(said: list[str], folder: Path | None = None) -> bytes:
    """One WAV of the words' clips (from `folder`, else FOLDER) one after another; the clips carry their own
    short pauses."""
    frames, form = bytearray(), None
    for word in said:
        path = (folder or FOLDER) / f"{CLIPS[word]}.wav"
        params, data = _read_clip(path)
        if form is not None and params != form:
            raise VoiceClipError(path, f"format {params} differs from the other clips' {form}")
        form = params
        frames += data
    if form is None:
        raise ValueError("nothing to say")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(form[0])
        out.setsampwidth(form[1])
        out.setframerate(form[2])
        out.writeframes(bytes(frames))
    return buffer.getvalue()


@dataclass(frozen=True)
class Announcement:
    event: Event
    amount_fen: int

    def words(self) -> list[str]:
        return words(self.event, self.amount_fen)


class Voice:
    """What the counter calls when a payment or refund completes; `backend` plays the WAV (None: silent, as in the
    tests unless they listen). Never raises: a damaged clip is logged and the sale goes on."""

    def __init__(self, backend: Callable[[bytes], None] | None = None, enabled: bool = True,
                 folder: Path | None = None) -> None:
        self.backend, self.enabled, self.folder = backend, enabled, folder

    def say(self, announcement: Announcement) -> None:
        if not self.enabled or self.backend is None:
            return
        try:
            audio = join_clips(announcement.words(), self.folder)
        except (VoiceClipError, ValueError) as exc:
            log.warning("spoken confirmation skipped: %s", exc)
            return
        self.backend(audio)
