"""What can go wrong talking to the platform, as specific exceptions a cashier or owner can act on."""

from __future__ import annotations


class SyncError(Exception):
    """Base. `retryable` says whether the same request may simply be sent again later."""

    retryable = False

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class OfflineError(SyncError):
    retryable = True

    def __init__(self, detail: str = "") -> None:
        super().__init__("The platform cannot be reached; orders wait on this computer and go up later."
                         + (f" ({detail})" if detail else ""), "offline")


class ServerBusyError(SyncError):
    retryable = True

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"The platform is busy (HTTP {status}); trying again shortly.", "busy")
        self.retry_after = retry_after


class BadReplyError(SyncError):
    retryable = True

    def __init__(self, detail: str) -> None:
        super().__init__(f"The platform sent a reply this app cannot read ({detail}); trying again later.",
                         "bad_reply")


class AuthError(SyncError):
    """Signature, clock or revocation problems: retrying the same way will not help."""


class ClockSkewError(AuthError):
    def __init__(self) -> None:
        super().__init__("This computer's clock is more than 5 minutes off; correct the time and date.",
                         "clock_skew")


class TerminalRevokedError(AuthError):
    def __init__(self) -> None:
        super().__init__("The platform revoked this terminal; ask the operator for a new pairing code.",
                         "terminal_revoked")


class NotPairedError(SyncError):
    def __init__(self) -> None:
        super().__init__("This counter is not paired with a platform yet.", "not_paired")


class PlatformRefusedError(SyncError):
    """A clear refusal of this request (bad pairing code, out of stock, balance too low, ...)."""

    def __init__(self, status: int, code: str, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message, code)
        self.status = status
        self.retry_after_s = retry_after_s


AUTH_ERRORS = {"clock_skew": ClockSkewError, "terminal_revoked": TerminalRevokedError}
