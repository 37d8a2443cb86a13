"""Pairing a data folder with a platform, and the client for a paired folder."""

from __future__ import annotations

import socket
import urllib.parse
from dataclasses import dataclass

from kameng_desk.sync import client as client_mod
from kameng_desk.sync.client import Pairing, PlatformClient
from local_cache import Store, sync_state

PAIRING_LINK = ("kameng", "pair")  # kameng://pair?url=<platform URL>&code=<pairing code>: the console's QR


@dataclass(frozen=True)
class PairingLink:
    url: str
    code: str


def parse_pairing_link(text: str) -> PairingLink | None:
    """The platform address and pairing code in the console's pairing QR, when `text` is one (a 2-D scanner
    types it into whichever field has the keyboard); None for anything else, which stays as typed."""
    text = text.strip()
    if len(text) > 2000:
        return None
    parts = urllib.parse.urlsplit(text)
    if (parts.scheme.lower(), parts.netloc.lower()) != PAIRING_LINK:
        return None
    query = urllib.parse.parse_qs(parts.query)
    url, code = (query.get(k, [""])[0].strip() for k in ("url", "code"))
    if urllib.parse.urlsplit(url).scheme not in ("http", "https") or not 0 < len(code) <= 64:
        return None
    return PairingLink(url, code)


def pair_store(store: Store, url: str, code: str, *, device_name: str | None = None,
               ca_bundle: str | None = None) -> Pairing:
    pairing = client_mod.pair(url, code, device_name or socket.gethostname(), ca_bundle=ca_bundle)
    # The secret goes to the keyring before the folder says it is paired.
    store.secrets.set_terminal_secret(pairing.terminal_secret)
    with store.transaction() as conn:
        for key, value in (("platform_url", url.rstrip("/")), ("terminal_id", pairing.terminal_id),
                           ("terminal_prefix", pairing.terminal_prefix), ("reseller_name", pairing.reseller_name),
                           ("ca_bundle", ca_bundle or "")):
            sync_state.put(conn, key, value)
    return pairing


def client_for(store: Store) -> PlatformClient | None:
    conn = store.conn()
    url, terminal_id = sync_state.get(conn, "platform_url"), sync_state.get(conn, "terminal_id")
    secret = store.secrets.terminal_secret()
    if not (url and terminal_id and secret):
        return None
    return PlatformClient(url, terminal_id, secret, ca_bundle=sync_state.get(conn, "ca_bundle") or None)
