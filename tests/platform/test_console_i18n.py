"""The console's words: every text in a template goes through `_()`, and every `_()` text has its English."""

from __future__ import annotations

import re

from kameng_platform.console.i18n import EN, TEMPLATES, environment

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
CJK = re.compile(r"[\u4e00-\u9fff]")


def template_texts() -> dict[str, set[str]]:
    env = environment("zh_CN")
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        for _line, _func, message in env.extract_translations(path.read_text(encoding="utf-8")):
            for text in (message if isinstance(message, tuple) else (message,)):
                if text:
                    found.setdefault(text, set()).add(path.name)
    return found


def test_every_template_text_has_its_english() -> None:
    texts = template_texts()
    assert len(texts) > 50
    missing = {text: sorted(names) for text, names in texts.items() if text not in EN}
    assert missing == {}
    assert sorted(set(EN) - set(texts)) == []  # and the catalog keeps no word no page uses
    assert [t for t in EN.values() if CJK.search(t)] == []
    # The same placeholders on both sides (a translation that drops %(n)s would fail at render time).
    assert all(re.findall(r"%\(\w+\)s", zh) == re.findall(r"%\(\w+\)s", en) for zh, en in EN.items())


def test_no_word_is_written_into_a_template_outside_the_catalog() -> None:
    """Text outside `{{ }}`/`{% %}` and tags is what a page shows as written: it must be none (Chinese and English
    both come from `_()`), apart from the two language names of the switch, each in its own language."""
    for path in sorted(TEMPLATES.glob("*.html")):
        shown = TAG.sub(" ", JINJA.sub(" ", path.read_text(encoding="utf-8")))
        words = set(re.findall(r"[A-Za-z\u4e00-\u9fff]+", shown)) - {"中文", "English"}
        assert words == set(), path.name


def test_english_pages_say_no_chinese_and_chinese_pages_no_english() -> None:
    from kameng_platform.console.roles import Role

    for lang in ("zh_CN", "en"):
        html = environment(lang).get_template("login.html").render(
            lang=lang, session=None, user=None, path="/console/login", query="", roles=Role, prefix="/console",
            csrf="t", error="locked", retry_minutes=15, username="", next="", yuan=str, when=str)
        shown = TAG.sub(" ", html).replace("中文", "").replace("English", "")
        if lang == "en":
            assert not CJK.search(shown) and "Too many failed logins" in shown
        else:
            assert not re.search(r"[A-Za-z]{2,}", shown) and "分钟后再试" in shown
