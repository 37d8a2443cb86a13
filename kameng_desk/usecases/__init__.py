"""The desk's use cases: plain Python that the GUI, the CLI and the tests call (no Qt here)."""
