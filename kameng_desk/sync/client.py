"""httpx client of the platform's wire contract v1: signing, TLS verification, timeouts, error mapping."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import httpx

from kameng_desk.records.payment_port import (
    CodePayment,
    CreatedPayment,
    PaymentOption,
    PlatformUnreachableError,
    Refund,
    RefundUnsupportedError,
    UnknownPaymentCodeError,
)
from kameng_desk.sync.errors import (
    AUTH_ERRORS,
    AuthError,
    BadReplyError,
    OfflineError,
    PlatformRefusedError,
    ServerBusyError,
)
from kameng_desk.sync.signing import signed_headers

TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)


@dataclass(frozen=True)
class Pairing:
    terminal_id: str
    terminal_secret: str
    reseller_id: str
    reseller_name: str
    terminal_prefix: str

    def __repr__(self) -> str:  # the secret never reaches a log through repr()
        return f"Pairing(terminal_id={self.terminal_id!r}, reseller_id={self.reseller_id!r})"


def _verify(ca_bundle: str | None) -> bool | str:
    # TLS certificates are always verified; a self-hosted platform brings its own CA bundle.
    return ca_bundle or True


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None


def _decode(response: httpx.Response) -> dict[str, Any]:
    if response.status_code in (429,) or response.status_code >= 500:
        raise ServerBusyError(response.status_code, _retry_after(response))
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadReplyError(f"HTTP {response.status_code}, not JSON") from None
    if not isinstance(body, dict):
        raise BadReplyError("not a JSON object")
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code, message = str(error.get("code", "unknown")), str(error.get("message", "refused"))
        if response.status_code == 401:
            if code in AUTH_ERRORS:
                raise AUTH_ERRORS[code]()
            raise AuthError(message, code)
        raise PlatformRefusedError(response.status_code, code, message)
    return body


def _apps(value: Any) -> tuple:
    if not isinstance(value, list):
        raise TypeError("apps is not a list")
    return tuple(str(a) for a in value if a in ("wechat", "alipay"))  # an app this desk has no mark for is left out


def _code_payment(body: dict[str, Any]) -> CodePayment:
    app, failure = body.get("app"), body.get("failure")
    if "status" not in body or "method" not in body or app not in ("wechat", "alipay"):
        raise PlatformUnreachableError("the platform's code payment reply is malformed")
    return CodePayment(str(body["status"]), str(body["method"]), app, None if failure is None else str(failure))


def pair(base_url: str, code: str, device_name: str, *, ca_bundle: str | None = None) -> Pairing:
    try:
        with httpx.Client(timeout=TIMEOUT, verify=_verify(ca_bundle)) as http:
            response = http.post(base_url.rstrip("/") + "/v1/pair",
                                 json={"pairing_code": code, "device_name": device_name})
    except httpx.TransportError as exc:
        raise OfflineError(type(exc).__name__) from None
    if response.status_code == 429:
        # Too many attempts from this address: nothing retries a pairing by itself, so say when to try again.
        wait = _retry_after(response)
        when = f"in {math.ceil(wait / 60)} minutes" if wait else "later"
        raise PlatformRefusedError(429, "too_many_attempts",
                                   f"Too many pairing attempts from this network; try again {when}.", wait)
    body = _decode(response)
    try:
        return Pairing(*(str(body[k]) for k in ("terminal_id", "terminal_secret", "reseller_id", "reseller_name",
                                                "terminal_prefix")))
    except KeyError as exc:
        raise BadReplyError(f"pairing reply lacks {exc}") from None


class PlatformClient:
    def __init__(self, base_url: str, terminal_id: str, secret: str, *, ca_bundle: str | None = None,
                 timeout: httpx.Timeout = TIMEOUT, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._terminal_id, self._secret = terminal_id, secret
        self._methods: list[str] | None = None
        self._options: list[PaymentOption] | None = None
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, verify=_verify(ca_bundle),
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        request = self._http.build_request(method, path, content=data or None)
        # Signed over the target httpx puts on the request line (percent-encoded as it will be sent), so what is
        # signed is what is sent.
        request.headers.update(signed_headers(self._terminal_id, self._secret, method, request.url.raw_path, data))
        if data:
            request.headers["Content-Type"] = "application/json"
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise OfflineError(type(exc).__name__) from None
        return _decode(response)

    def catalog(self) -> dict[str, Any]:
        return self.call("GET", "/v1/catalog")

    def restock(self, request_id: str, product_id: str, quantity: int) -> dict[str, Any]:
        return self.call("POST", "/v1/restock",
                         {"request_id": request_id, "product_id": product_id, "quantity": quantity})

    def push_orders(self, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results = self.call("POST", "/v1/orders/batch", {"orders": orders}).get("results")
        if not isinstance(results, list) or len(results) != len(orders):
            raise BadReplyError("the batch reply does not answer every order")
        return results

    def void(self, order_id: str, voided_at: str) -> dict[str, Any]:
        return self.call("POST", f"/v1/orders/{order_id}/void", {"voided_at": voided_at})

    def put_shift_report(self, report: dict[str, Any]) -> dict[str, Any]:
        return self.call("PUT", f"/v1/shift-reports/{report['shift_id']}", report)

    def put_retail_price(self, product_id: str, retail_fen: int | None, changed_at: str) -> dict[str, Any]:
        return self.call("PUT", f"/v1/retail-prices/{product_id}", {"retail_fen": retail_fen, "changed_at": changed_at})

    def changes(self, cursor: int, limit: int = 200) -> dict[str, Any]:
        body = self.call("GET", f"/v1/changes?cursor={cursor}&limit={limit}")
        if not isinstance(body.get("changes"), list) or not isinstance(body.get("next_cursor"), int):
            raise BadReplyError("the changes page is malformed")
        return body

    # -- payments (kameng_desk.records.payment_port.PaymentPort) --------------------------------------------------

    def _payments(self, method: str, path: str, body: dict | None = None) -> dict[str, Any]:
        try:
            return self.call(method, path, body)
        except (OfflineError, ServerBusyError, BadReplyError) as exc:
            raise PlatformUnreachableError(str(exc)) from None

    def payment_methods(self) -> list[str]:
        """Asked once per client: the platform's gateways change only when its operator restarts it."""
        if self._methods is None:
            self._ask_methods()
        return self._methods

    def payment_options(self) -> list[PaymentOption]:
        """What each gateway can do at the counter (asked with the methods, once). A platform older than issue #17
        names its methods only: each then shows no app marks, charges no payment code and refunds nothing."""
        if self._options is None:
            self._ask_methods()
        return self._options

    def _ask_methods(self) -> None:
        body = self._payments("GET", "/v1/payment-methods")
        methods = body.get("methods")
        if not isinstance(methods, list) or not methods:
            raise PlatformUnreachableError("the platform offers no payment method")
        try:
            options = [PaymentOption(str(o["method"]), _apps(o.get("apps", [])), _apps(o.get("code_apps", [])),
                                     bool(o.get("can_refund", False))) for o in body.get("options", [])]
        except (KeyError, TypeError, AttributeError):
            raise PlatformUnreachableError("the payment options are malformed") from None
        named = {o.method for o in options}
        self._methods = [str(m) for m in methods]
        self._options = options + [PaymentOption(m, (), (), False) for m in self._methods if m not in named]

    def pay_code(self, *, payment_id: str, order_id: str, amount_fen: int, auth_code: str,
                 description: str) -> CodePayment:
        """Charge the customer's payment code. The code never reaches an exception or a log: a refusal's message
        is the platform's with the code blanked out (in case it echoed it)."""
        try:
            body = self._payments("POST", "/v1/payments", {"payment_id": payment_id, "order_id": order_id,
                                                           "amount_fen": amount_fen, "kind": "code",
                                                           "auth_code": auth_code, "description": description})
        except PlatformRefusedError as exc:
            message = str(exc).replace(auth_code, "…") if auth_code else str(exc)
            if exc.code in ("unknown_payment_code", "code_not_supported"):
                raise UnknownPaymentCodeError(message) from None
            raise PlatformRefusedError(exc.status, exc.code, message) from None
        return _code_payment(body)

    def code_payment(self, payment_id: str) -> CodePayment:
        return _code_payment(self._payments("GET", f"/v1/payments/{payment_id}"))

    def create_payment(self, *, payment_id: str, order_id: str, amount_fen: int, method: str,
                       description: str) -> CreatedPayment:
        body = self._payments("POST", "/v1/payments", {"payment_id": payment_id, "order_id": order_id,
                                                       "amount_fen": amount_fen, "method": method,
                                                       "description": description})
        return CreatedPayment(str(body["qr_content"]), int(body["expires_at"]))

    def payment_status(self, payment_id: str) -> str:
        return str(self._payments("GET", f"/v1/payments/{payment_id}")["status"])

    def cancel_payment(self, payment_id: str) -> str:
        return str(self._payments("POST", f"/v1/payments/{payment_id}/cancel")["status"])

    def refund_payment(self, *, payment_id: str, refund_id: str, amount_fen: int, reason: str) -> Refund:
        """Idempotent by refund_id: asking again after a lost answer is the same refund, executed once."""
        try:
            body = self._payments("POST", f"/v1/payments/{payment_id}/refunds",
                                  {"refund_id": refund_id, "amount_fen": amount_fen, "reason": reason})
        except PlatformRefusedError as exc:
            if exc.code == "refund_unsupported":
                raise RefundUnsupportedError("this payment's gateway cannot refund; give the money back in cash") \
                    from None
            raise
        return _refund(body)

    def refunds(self, payment_id: str) -> list[Refund]:
        items = self._payments("GET", f"/v1/payments/{payment_id}").get("refunds", [])
        if not isinstance(items, list):
            raise PlatformUnreachableError("the payment's refunds are malformed")
        return [_refund(item) for item in items]


def _refund(body: Any) -> Refund:
    """A refund as the platform reports it; a reply shaped otherwise leaves its outcome unknown, not negative."""
    try:
        status = str(body["status"])
        if status not in ("pending", "succeeded", "failed"):
            raise ValueError(status)
        failure = body.get("failure")
        return Refund(str(body["refund_id"]), str(body["payment_id"]), int(body["amount_fen"]), status,
                      None if failure is None else str(failure))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise PlatformUnreachableError("the refund reply is malformed") from None
