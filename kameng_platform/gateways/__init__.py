"""Payment-gateway adapters. The sandbox gateway serves its own pay page, so the whole flow runs here."""
