"""Entry point of the frozen app (PyInstaller): name the OS keyring explicitly, then run the usual command line."""

import sys

from kameng_desk.cli import main
from local_cache.keystore import select_frozen_backend

select_frozen_backend()
sys.exit(main())
