"""Central platform API server."""
