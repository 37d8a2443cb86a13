"""The gateways this platform offers, by payment method name, built from its settings."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from kameng_platform.db import make_engine
from kameng_platform.gateways.alipay import AlipayGateway
from kameng_platform.gateways.base import KNOWN, App, Gateway, GatewayConfigError
from kameng_platform.gateways.epay import EpayGateway
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.gateways.wechat import WechatGateway


class GatewayRegistry:
    def __init__(self, gateways: Mapping[str, Gateway]) -> None:
        self._gateways = dict(gateways)

    @property
    def names(self) -> list[str]:
        """In the operator's order: the first is what a desk offers by default."""
        return list(self._gateways)

    def get(self, name: str) -> Gateway | None:
        return self._gateways.get(name)

    def options(self) -> list[dict]:
        """What each gateway can do at the counter (GET /v1/payment-methods), in the operator's order."""
        return [{"method": name, "apps": list(g.apps), "code_apps": list(g.code_apps), "can_refund": g.can_refund}
                for name, g in self._gateways.items()]

    def for_code(self, app: App) -> str | None:
        """The gateway that charges `app`'s payment codes: the first, in the operator's order, that can."""
        return next((name for name, g in self._gateways.items() if app in g.code_apps), None)


def build_registry(settings, engine: Engine | None = None) -> GatewayRegistry:
    """`settings` is a PlatformSettings (its __post_init__ already checked that each name has a config);
    `engine` the platform's, where the sandbox keeps its record (one of its own on the same database if none)."""
    made: dict[str, Gateway] = {}
    for name in settings.gateways:
        if name == "sandbox":
            made[name] = SandboxGateway(settings.server_key, engine or make_engine(settings.db_url))
        elif name == "wechat":
            made[name] = WechatGateway(settings.wechat, max_skew_s=settings.max_skew_s)
        elif name == "epay":
            made[name] = EpayGateway.from_config(settings.epay)
        elif name == "alipay":
            made[name] = AlipayGateway(settings.alipay)
        else:
            raise GatewayConfigError(f"unknown payment gateway {name!r} (known: {', '.join(KNOWN)})")
    return GatewayRegistry(made)
