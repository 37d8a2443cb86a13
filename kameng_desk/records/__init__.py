"""Records with no dependencies that printing, the platform link and the use cases share."""
