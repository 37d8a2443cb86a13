"""The console's pairing QR as the desk reads it (kameng://pair?url=…&code=…)."""

from __future__ import annotations

import urllib.parse

import pytest

from kameng_desk.sync.pairing import PairingLink, parse_pairing_link


def link(**query: str) -> str:
    return "kameng://pair?" + urllib.parse.urlencode(query)


def test_a_scanned_pairing_link_gives_the_address_and_the_code() -> None:
    assert parse_pairing_link(link(url="https://km.example.cn:8443/", code="AB12-CD34")) == PairingLink(
        "https://km.example.cn:8443/", "AB12-CD34")
    assert parse_pairing_link("  KAMENG://PAIR?url=http%3A%2F%2F127.0.0.1%3A8700&code=X\r\n") == PairingLink(
        "http://127.0.0.1:8700", "X")  # a scanner's case and line end


@pytest.mark.parametrize("text", [
    "https://km.example.cn", "AB12-CD34", "", link(url="https://km.example.cn"), link(code="X"),
    link(url="javascript:alert(1)", code="X"), link(url="file:///etc/passwd", code="X"),
    link(url="https://km.example.cn", code="X" * 65), "kameng://other?" + urllib.parse.urlencode({"url": "https://a",
                                                                                                  "code": "X"}),
    link(url="https://km.example.cn", code="X") + "&" + "a" * 2000,
])
def test_anything_else_is_left_as_typed(text: str) -> None:
    assert parse_pairing_link(text) is None
