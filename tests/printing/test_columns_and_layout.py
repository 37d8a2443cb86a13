"""Printer columns, wrapping, the Chinese code page and its placeholder, the stored layout, our profiles."""

from __future__ import annotations

import copy
import unicodedata

import pytest
from escpos import capabilities
from hypothesis import given
from hypothesis import strategies as st

from kameng_desk.printing.columns import PLACEHOLDER, encode, printable, text_columns, wrap
from kameng_desk.printing.errors import PrinterSettingsError
from kameng_desk.printing.escpos_render import render_escpos
from kameng_desk.printing.layout import LayoutError, QrCode, Row, Slip, Text
from kameng_desk.printing.lines import Line, lay_out
from kameng_desk.printing.profiles import PAPER_58, PAPER_80, PrinterProfile
from kameng_desk.printing.sample import sample_card_slip
from kameng_desk.printing.text_render import render_text

NAMES = ["腾讯QQ会员年卡十二个月超级会员特惠装（官方正品）", "网易一卡通50元【全国通用】",
         "完美世界 Perfect World 点卡 1000 点 季卡", "魔兽世界时间卡60天（战网国服）"]


def test_a_chinese_character_takes_two_columns_ascii_one() -> None:
    assert text_columns("Q币10元") == 7 and text_columns("￥【】") == 6
    assert text_columns("×·①") == 6  # ambiguous width, but two-byte GB codes: two columns on the printer


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("name", NAMES)
def test_long_names_wrap_without_overflow_and_without_loss(name: str, columns: int) -> None:
    lines = wrap(name, columns)
    assert all(text_columns(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    assert not any(line[:1] in "，。）】" for line in lines[1:])


def test_rows_keep_the_value_on_the_right_margin() -> None:
    for profile in (PAPER_58, PAPER_80):
        laid = lay_out(Slip("t", (Row(NAMES[0], "￥50.00"), Row("合计", "￥70.00"))), profile)
        lines = [item.text for item in laid if isinstance(item, Line)]
        assert all(text_columns(line) <= profile.columns for line in lines)
        assert lines[-1].startswith("合计") and lines[-1].endswith("￥70.00")
        assert text_columns(lines[-1]) == profile.columns
        assert any(line.endswith("￥50.00") for line in lines[:-1])


def test_english_words_stay_whole() -> None:
    assert wrap("Perfect World points card", 12) == ["Perfect", "World points", "card"]


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("欢迎光临，点卡售出概不退换！Welcome", 32, ["欢迎光临，点卡售出概不退换！", "Welcome"]),
    ("Sky Internet Café 二号店", 16, ["Sky Internet", "Café 二号店"]),
    # Keeping 。 off the line start moves the whole number down with it, not its last digit.
    ("请致电 400-000-0000。", 20, ["请致电", "400-000-0000。"]),
    # Wider than a line: broken after the /, so the host stays whole.
    ("充值请访问pay.qq.com/chongzhi", 16, ["充值请访问", "pay.qq.com/", "chongzhi"]),
])
def test_issue_14_words_numbers_and_urls_stay_whole(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("合计¥1,234.50元", 12, ["合计", "¥1,234.50元"]),
    ("面值￥30.00（季卡）", 12, ["面值￥30.00", "（季卡）"]),  # （ never ends a line, ￥ never leaves its amount
    ("卡号abcdefghijklmnopqrstuvwxyz", 12, ["卡号abcdefgh", "ijklmnopqrst", "uvwxyz"]),  # too long: by columns
    ("（Welcome）", 9, ["（Welcome", "）"]),  # 禁则 gives way when keeping it would split a word
])
def test_kinsoku_and_words_longer_than_a_line(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _spans(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """Where each line of one paragraph sits in it, asserting that only spaces between lines were left out."""
    spans, pos = [], 0
    for i, line in enumerate(lines):
        if i:
            assert not line.startswith(" ") and not lines[i - 1].endswith(" ")
        while text.startswith(" ", pos) and not text.startswith(line, pos):
            pos += 1  # a paragraph's first spaces go too when the first line breaks there
        assert text.startswith(line, pos), (text, lines)
        spans.append((pos, pos + len(line)))
        pos += len(line)
    assert text[pos:].strip(" ") == "", (text, lines)  # only trailing spaces that did not fit are left out
    return spans


def _words(paragraph: str) -> list[tuple[int, int]]:
    """Maximal runs of characters that are neither spaces nor wide: words, numbers, URLs."""
    runs, start = [], None
    for i, ch in enumerate(paragraph + " "):
        inside = ch != " " and not _wide(ch)
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


SLIP_TEXT = st.lists(st.sampled_from([*"欢迎光临点卡，。！、（）「」￥¥ ", *"WelcomSkyCafé09-.,/:", "pay.qq.com/",
                                      "400-000-0000", "  "]), max_size=30).map("".join)


@given(st.lists(SLIP_TEXT, min_size=1, max_size=3).map("\n".join), st.integers(4, 40))
def test_wrapping_fits_loses_nothing_and_keeps_fitting_words_whole(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(text_columns(line) <= width for line in lines)
    at = 0
    for paragraph in text.split("\n"):
        count = len(wrap(paragraph, width))
        spans = _spans(paragraph, lines[at:at + count])
        at += count
        for start, end in _words(paragraph):
            if text_columns(paragraph[start:end]) <= width:
                assert any(a <= start and end <= b for a, b in spans), (paragraph[start:end], lines)
    assert at == len(lines)


@given(st.text(max_size=80), st.sampled_from([32, 48]), st.sampled_from(["gb18030", "gbk"]))
def test_any_text_prints_in_width_and_encodes(text: str, columns: int, encoding: str) -> None:
    clean = printable(text, encoding)
    for line in wrap(clean, columns):
        assert text_columns(line) <= columns
        encode(line, encoding)  # never raises after printable()


def test_unprintable_characters_become_a_visible_placeholder() -> None:
    assert printable("王者荣耀🎮\x1b@x", "gb18030") == f"王者荣耀{PLACEHOLDER}{PLACEHOLDER}@x"
    assert printable("€5", "gbk") == f"{PLACEHOLDER}5"  # Python's gbk would send half a code (0x80)
    assert printable("€5", "gb18030") == "€5"
    # A rare name character (CJK extension A): GB18030 printers have it, GBK ones do not.
    assert printable("王䶮", "gb18030") == "王䶮" and printable("王䶮", "gbk") == f"王{PLACEHOLDER}"
    with pytest.raises(ValueError):
        printable("x", "utf-8")


def test_placeholder_instead_of_a_crash_in_the_bytes() -> None:
    slip = Slip("t", (Text("点卡🎮\u200b卡"),))
    data = render_escpos(slip, PrinterProfile(encoding="gbk"))
    assert "点卡□□卡".encode("gbk") + b"\n" in data


def test_layout_round_trips_through_json_and_hides_content_in_repr() -> None:
    slip = sample_card_slip()
    assert Slip.from_json(slip.to_json()) == slip
    assert "ABCD" not in repr(slip)
    for broken in (b"", b"{}", b'{"kind":"x","elements":[{"type":"Nope"}]}', b"\xff",
                   b'{"kind":"x","elements":[{"type":"Text","text":"a","evil":1}]}',
                   b'{"kind":"x","elements":[{"type":"Text","text":"a","size":"huge"}]}'):
        with pytest.raises(LayoutError):
            Slip.from_json(broken)


def test_our_profiles_never_touch_escpos_shared_profile_data() -> None:
    before = copy.deepcopy(capabilities.CAPABILITIES)
    default_before = copy.deepcopy(capabilities.get_profile_class("default").profile_data)
    for profile in (PAPER_58, PAPER_80, PrinterProfile(native_qr=False, cut=False)):
        render_escpos(Slip("t", (QrCode("https://example.com/x"), Text("x"))), profile)
    assert before == capabilities.CAPABILITIES
    assert capabilities.get_profile_class("default").profile_data == default_before


@pytest.mark.parametrize("bad", [dict(columns=10), dict(dots=390), dict(encoding="big5"), dict(drawer_pin=3)])
def test_profile_settings_are_checked(bad: dict) -> None:
    with pytest.raises(PrinterSettingsError):
        PrinterProfile(**bad)


def test_plain_text_preview_matches_the_paper_lines() -> None:
    text = render_text(sample_card_slip(), PAPER_58, copy=True)
    assert text.splitlines()[0].strip() == "** 重印 / COPY **"
    assert "[QR] https://pay.qq.com/qb" in text
    assert all(text_columns(line) <= 32 for line in text.splitlines() if not line.startswith("[QR]"))
