"""Platform settings. The server key (encrypting codes and terminal secrets at rest) never lives in the DB."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kameng_platform.gateways.base import KNOWN, GatewayConfigError
from kameng_platform.gateways.epay import EpayConfig
from kameng_platform.gateways.wechat import WechatConfig


class ServerKeyError(Exception):
    pass


@dataclass(frozen=True)
class PlatformSettings:
    db_url: str
    server_key: bytes
    body_limit: int = 1024 * 1024
    max_skew_s: int = 300
    max_batch: int = 200
    pairing_ttl_s: int = 24 * 3600
    # Pairing attempts per fixed window: per source address, and in total (terminals.count_pairing_attempt).
    pair_attempts_per_source: int = 10
    pair_attempts_total: int = 100
    pair_window_s: int = 600
    public_url: str = ""  # where the sandbox pay page is reachable; set by the server once bound
    supplier: str = "sandbox"
    sandbox_db: str = ":memory:"  # the sandbox supplier's own record (a file survives platform restarts)
    sandbox_delay_s: float = 0.0
    sandbox_failure_rate: float = 0.0
    sandbox_unknown_rate: float = 0.0
    topup_interval_s: float = 1.0
    # Payment gateways offered to desks, in order (the first is the default). The sandbox lets anyone who
    # opens its pay page "pay": a platform that takes real money lists only real gateways.
    gateways: tuple[str, ...] = ("sandbox",)
    wechat: WechatConfig | None = None
    epay: EpayConfig | None = None
    payment_ttl_s: int = 300
    reconcile_interval_s: float = 5.0
    reconcile_after_s: int = 10  # a notify normally comes within seconds; the gateway is asked after this
    reconcile_window_s: int = 3600  # and asked until this long after the payment expired

    def __post_init__(self) -> None:
        if len(self.server_key) != 32:
            raise ServerKeyError("the server key must be 32 bytes (64 hex digits)")
        for name in self.gateways:
            if name not in KNOWN:
                raise GatewayConfigError(f"unknown payment gateway {name!r} (known: {', '.join(KNOWN)})")
            if name != "sandbox" and getattr(self, name) is None:
                raise GatewayConfigError(f"payment gateway {name} is enabled but has no [{name}] configuration")


def load_server_key(path: str | None) -> bytes:
    """From a key file (64 hex digits) or env KAMENG_PLATFORM_KEY; never from the database."""
    text = Path(path).read_text().strip() if path else os.environ.get("KAMENG_PLATFORM_KEY", "")
    if not text:
        raise ServerKeyError("no server key: pass --key-file FILE or set KAMENG_PLATFORM_KEY "
                             "(create one with `kameng-platform new-key`)")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ServerKeyError("the server key is not hex") from None
    if len(key) != 32:
        raise ServerKeyError("the server key must be 32 bytes (64 hex digits)")
    return key


def _read(base: Path, section: str, table: dict[str, Any], key: str) -> bytes:
    path = base / _need(section, table, key)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GatewayConfigError(f"[{section}] {key}: cannot read {path} ({exc.strerror})") from None


def _need(section: str, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise GatewayConfigError(f"[{section}] lacks {key}")
    return value


def load_gateway_config(path: str) -> dict[str, Any]:
    """PlatformSettings fields from a TOML file (see docs/payments.md). Keys live in their own files, named
    relative to this one, so the config itself holds no secret."""
    file = Path(path)
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GatewayConfigError(f"cannot read the gateway config {file} ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GatewayConfigError(f"the gateway config {file} is not valid TOML: {exc}") from None
    base = file.parent
    names = doc.get("gateways")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise GatewayConfigError('the gateway config needs gateways = ["wechat", ...]')
    fields: dict[str, Any] = {"gateways": tuple(names)}
    if isinstance(wx := doc.get("wechat"), dict):
        keys = wx.get("platform_keys")
        if not isinstance(keys, dict) or not keys:
            raise GatewayConfigError('[wechat] lacks platform_keys = { "SERIAL" = "pub_key.pem" }')
        fields["wechat"] = WechatConfig(
            mchid=_need("wechat", wx, "mchid"), appid=_need("wechat", wx, "appid"),
            merchant_serial=_need("wechat", wx, "merchant_serial"),
            merchant_key_pem=_read(base, "wechat", wx, "merchant_key_file"),
            platform_keys={serial: _read(base, "wechat", keys, serial) for serial in keys},
            apiv3_key=_read(base, "wechat", wx, "apiv3_key_file").strip(),
            notify_url=_need("wechat", wx, "notify_url"),
            base_url=wx.get("base_url", "https://api.mch.weixin.qq.com"))
    if isinstance(ep := doc.get("epay"), dict):
        fields["epay"] = EpayConfig(
            base_url=_need("epay", ep, "base_url"), pid=_need("epay", ep, "pid"),
            key=_read(base, "epay", ep, "key_file").decode("utf-8", "replace").strip(),
            notify_url=_need("epay", ep, "notify_url"), channel=ep.get("channel", "alipay"))
    return fields
