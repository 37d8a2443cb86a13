"""Counter use cases without Qt: sell codes, top-ups, shifts, voids/refunds, restock, reports."""
