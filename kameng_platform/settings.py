"""Platform settings. The server key (encrypting codes and terminal secrets at rest) never lives in the DB."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kameng_platform.gateways.alipay import GATEWAY_URL as ALIPAY_GATEWAY_URL
from kameng_platform.gateways.alipay import AlipayConfig
from kameng_platform.gateways.base import KNOWN, GatewayConfigError
from kameng_platform.gateways.epay import EpayConfig
from kameng_platform.gateways.wechat import WechatConfig
from kameng_platform.suppliers.md5form import Md5FormConfig

SUPPLIERS: tuple[str, ...] = ("sandbox", "md5form")


class ConfigError(Exception):
    """A setting or configuration file the platform cannot start with; the message says what to change."""


class ServerKeyError(ConfigError):
    pass


class SandboxNotAllowed(ConfigError):
    """The sandbox gateway or supplier was asked for without the explicit opt-in."""


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
    # Where customers' phones reach the sandbox pay page (`serve --public-url`; else `serve` and
    # `serve_in_thread` set it from the address they listen on). Never taken from a request's Host header.
    public_url: str = ""
    # The web console at /console/ (kameng_platform/console): `serve` turns it on; the desk's demo platform not.
    console: bool = False
    # The adapter that executes top-ups: "" (none: top-ups stay queued until one is configured), "md5form"
    # (a real supplier, `serve --supplier-config`) or "sandbox" (fake, only with allow_sandbox).
    supplier: str = ""
    md5form: Md5FormConfig | None = None
    sandbox_delay_s: float = 0.0
    sandbox_failure_rate: float = 0.0
    sandbox_unknown_rate: float = 0.0
    topup_interval_s: float = 1.0
    # Payment gateways offered to desks, in order (the first is the default); none unless configured. The
    # sandbox lets anyone who opens its pay page "pay": a platform that takes real money lists only real gateways.
    gateways: tuple[str, ...] = ()
    # The opt-in for the sandbox gateway and supplier (fake money): the desk's demo and the tests set it,
    # `serve` only with --allow-sandbox.
    allow_sandbox: bool = False
    wechat: WechatConfig | None = None
    epay: EpayConfig | None = None
    alipay: AlipayConfig | None = None
    payment_ttl_s: int = 300
    reconcile_interval_s: float = 5.0
    reconcile_after_s: int = 10  # a notify normally comes within seconds; the gateway is asked after this
    reconcile_window_s: int = 3600  # and asked until this long after the payment expired
    # How long a scanned payment code may wait for the customer's password (USERPAYING) before the platform
    # reverses it (docs/payments.md "Code payments"); `code_wait_s` in the gateway config.
    code_wait_s: int = 60

    def __post_init__(self) -> None:
        if len(self.server_key) != 32:
            raise ServerKeyError("the server key must be 32 bytes (64 hex digits)")
        for name in self.gateways:
            if name not in KNOWN:
                raise GatewayConfigError(f"unknown payment gateway {name!r} (known: {', '.join(KNOWN)})")
            if name != "sandbox" and getattr(self, name) is None:
                raise GatewayConfigError(f"payment gateway {name} is enabled but has no [{name}] configuration")
        if not 1 <= self.code_wait_s <= 600:
            raise ConfigError(f"code_wait_s must be 1 to 600 seconds, not {self.code_wait_s}")
        if self.supplier and self.supplier not in SUPPLIERS:
            raise ConfigError(f"unknown top-up supplier {self.supplier!r} (known: {', '.join(SUPPLIERS)})")
        if self.supplier == "md5form" and self.md5form is None:
            raise ConfigError("top-up supplier md5form is selected but has no [md5form] configuration")
        if not self.allow_sandbox and (sandboxed := self.sandboxed()):
            raise SandboxNotAllowed(f"the sandbox {' and '.join(sandboxed)} would run on fake money (anyone can "
                                    "pay on its page): only for a demo or a test, with --allow-sandbox")

    def sandboxed(self) -> list[str]:
        """What of this platform the sandbox plays (fake payments, top-ups never executed)."""
        parts = ["gateway"] if "sandbox" in self.gateways else []
        return parts + (["supplier"] if self.supplier == "sandbox" else [])


SANDBOX = {"gateways": ("sandbox",), "supplier": "sandbox"}


def with_sandbox(fields: dict[str, Any]) -> dict[str, Any]:
    """The sandbox opt-in: the sandbox gateway and supplier play whatever `fields` does not configure."""
    return {**SANDBOX, **fields, "allow_sandbox": True}


def sandbox_settings(db_url: str, server_key: bytes, **fields: Any) -> PlatformSettings:
    """A platform that takes fake payments and fakes top-ups: the desk's demo and the tests."""
    return PlatformSettings(db_url=db_url, server_key=server_key, **with_sandbox(fields))


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


def _read(base: Path, section: str, table: dict[str, Any], key: str,
          error: type[Exception] = GatewayConfigError) -> bytes:
    path = base / _need(section, table, key, error)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"[{section}] {key}: cannot read {path} ({exc.strerror})") from None


def _need(section: str, table: dict[str, Any], key: str, error: type[Exception] = GatewayConfigError) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise error(f"[{section}] lacks {key}")
    return value


def _flag(section: str, table: dict[str, Any], key: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise GatewayConfigError(f"[{section}] {key} must be true or false")
    return value


def _load_toml(file: Path, what: str, error: type[Exception]) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read the {what} config {file} ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"the {what} config {file} is not valid TOML: {exc}") from None


def load_gateway_config(path: str) -> dict[str, Any]:
    """PlatformSettings fields from a TOML file (see docs/payments.md). Keys live in their own files, named
    relative to this one, so the config itself holds no secret."""
    file = Path(path)
    doc = _load_toml(file, "gateway", GatewayConfigError)
    base = file.parent
    names = doc.get("gateways")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise GatewayConfigError('the gateway config needs gateways = ["wechat", ...]')
    fields: dict[str, Any] = {"gateways": tuple(names)}
    if "code_wait_s" in doc:
        wait = doc["code_wait_s"]
        if not isinstance(wait, int) or isinstance(wait, bool):
            raise GatewayConfigError("code_wait_s must be a whole number of seconds")
        fields["code_wait_s"] = wait
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
            notify_url=_need("epay", ep, "notify_url"), channel=ep.get("channel", "alipay"),
            refund=_flag("epay", ep, "refund"))
    if isinstance(ali := doc.get("alipay"), dict):
        if cert_keys := sorted(k for k in ("app_cert_file", "alipay_cert_file", "alipay_root_cert_file") if k in ali):
            raise GatewayConfigError(
                f"[alipay] {', '.join(cert_keys)}: certificate mode (公钥证书) is not supported; set the app's "
                "加签方式 to 公钥 in the Alipay open platform and give alipay_public_key_file")
        fields["alipay"] = AlipayConfig(
            app_id=_need("alipay", ali, "app_id"),
            app_private_key_pem=_read(base, "alipay", ali, "app_private_key_file"),
            alipay_public_key_pem=_read(base, "alipay", ali, "alipay_public_key_file"),
            notify_url=_need("alipay", ali, "notify_url"), gateway_url=ali.get("gateway_url", ALIPAY_GATEWAY_URL))
    return fields


def load_supplier_config(path: str) -> dict[str, Any]:
    """PlatformSettings fields from the supplier TOML file (see docs/platform.md); the key in its own file."""
    file = Path(path)
    doc = _load_toml(file, "supplier", ConfigError)
    name = doc.get("supplier")
    if name not in SUPPLIERS:
        raise ConfigError(f'the supplier config needs supplier = "md5form" (known: {", ".join(SUPPLIERS)})')
    fields: dict[str, Any] = {"supplier": name}
    if name == "md5form":
        table = doc.get("md5form")
        if not isinstance(table, dict):
            raise ConfigError("the supplier config lacks its [md5form] table")
        base_url = _need("md5form", table, "base_url", ConfigError)
        if not base_url.startswith(("https://", "http://")):
            raise ConfigError("[md5form] base_url must be an http(s) URL")
        timeout = table.get("timeout_s", 15.0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise ConfigError("[md5form] timeout_s must be a positive number of seconds")
        key = _read(file.parent, "md5form", table, "key_file", ConfigError).decode("utf-8", "replace").strip()
        if not key:
            raise ConfigError("[md5form] key_file is empty")
        fields["md5form"] = Md5FormConfig(base_url=base_url, merchant_id=_need("md5form", table, "merchant_id",
                                                                                ConfigError),
                                          key=key, timeout_s=float(timeout))
    return fields
