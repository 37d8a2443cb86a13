"""The common 卡盟 supplier style: form parameters signed with MD5, an async callback, a status query.

Signing: drop empty values and `sign`, sort by key, join as `k=v&k=v`, append `&key=<secret>`, MD5,
lowercase hex. Submit and query answer JSON: {"code": 0, "status": "success|processing|failed", "msg"};
code != 0 is a refusal (failed) except the "duplicate order" code, which means we already sent this key.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from kameng_platform.suppliers.base import SupplierError, SupplierResult, TopupRequest

DUPLICATE_ORDER = 1002  # the supplier already has this order number: ask for its status instead
NOT_FOUND = 1004


def sign(params: Mapping[str, str], key: str) -> str:
    items = sorted((k, str(v)) for k, v in params.items() if k != "sign" and str(v) != "")
    text = "&".join(f"{k}={v}" for k, v in items) + f"&key={key}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def verify(params: Mapping[str, str], key: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged `sign` must not raise).
    return hmac.compare_digest(sign(params, key).encode(), str(params.get("sign", "")).lower().encode())


_STATES = {"success": "succeeded", "failed": "failed", "processing": "pending"}


@dataclass(frozen=True)
class Md5FormConfig:
    """The `[md5form]` table of the supplier config (settings.load_supplier_config)."""
    base_url: str
    merchant_id: str
    key: str = field(repr=False)
    timeout_s: float = 15.0


class Md5FormSupplier:
    def __init__(self, base_url: str, merchant_id: str, key: str, notify_url: str = "", *,
                 timeout: float = 15.0, clock=time.time, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self.merchant_id, self._key, self.notify_url, self._clock = merchant_id, key, notify_url, clock

    @classmethod
    def from_config(cls, config: Md5FormConfig) -> Md5FormSupplier:
        # No notify_url: the platform learns each outcome by querying (topups.process), so it takes no callback.
        return cls(config.base_url, config.merchant_id, config.key, timeout=config.timeout_s)

    def __repr__(self) -> str:
        return f"Md5FormSupplier(merchant_id={self.merchant_id!r})"

    def close(self) -> None:
        self._http.close()

    def build(self, action: str, **fields: str) -> dict[str, str]:
        params = {"merchant_id": self.merchant_id, "timestamp": str(int(self._clock())), **fields}
        params["sign"] = sign(params, self._key)
        return params

    def _post(self, path: str, params: dict[str, str]) -> dict:
        try:
            reply = self._http.post(path, data=params)
            body = reply.json()
        except (httpx.TransportError, ValueError) as exc:
            raise SupplierError(f"supplier unreachable or unreadable: {type(exc).__name__}") from None
        if not isinstance(body, dict) or "code" not in body:
            raise SupplierError("supplier reply without a code")
        return body

    def _result(self, body: dict, *, refusal_fails: bool) -> SupplierResult:
        if body["code"] == NOT_FOUND:
            return SupplierResult("unknown")
        if body["code"] != 0:
            if refusal_fails:  # a refused recharge was never executed: refund it
                return SupplierResult("failed", str(body.get("msg") or body["code"]))
            # A refused query says nothing about the top-up: never refund on it.
            raise SupplierError(f"supplier refused the query: {body.get('msg') or body['code']}")
        state = _STATES.get(str(body.get("status")))
        if state is None:
            raise SupplierError("supplier reply with an unknown status")
        return SupplierResult(state, body.get("msg") if state == "failed" else None)

    def submit(self, request: TopupRequest) -> SupplierResult:
        body = self._post("/api/recharge", self.build(
            "recharge", order_no=request.order_id, product_code=request.product_id, account=request.account,
            amount=str(request.face_value_fen), notify_url=self.notify_url))
        if body["code"] == DUPLICATE_ORDER:
            return self.query(request.order_id)
        return self._result(body, refusal_fails=True)

    def query(self, order_id: str) -> SupplierResult:
        return self._result(self._post("/api/query", self.build("query", order_no=order_id)), refusal_fails=False)

    def parse_callback(self, form: Mapping[str, str]) -> tuple[str, SupplierResult]:
        """Verify and read the supplier's async callback; a bad signature raises, nothing changes."""
        if not verify(form, self._key) or form.get("merchant_id") != self.merchant_id:
            raise SupplierError("callback signature does not verify")
        state = _STATES.get(str(form.get("status")))
        if state is None:
            raise SupplierError("callback with an unknown status")
        return str(form["order_no"]), SupplierResult(state, form.get("msg") if state == "failed" else None)
