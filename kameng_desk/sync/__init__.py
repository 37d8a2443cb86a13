"""Platform API client, request signing and the sync engine."""
