"""Payment QR flow: dynamic QR via the platform, static merchant QR, cash."""
