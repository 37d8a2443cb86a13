"""Encrypted local store without Qt: SQLCipher connection, key in the OS keyring, migrations, repositories."""

from local_cache.store import Store

__all__ = ["Store"]
