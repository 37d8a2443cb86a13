"""卡盟收银台 — the counter app."""

__version__ = "0.1.0"
