"""Updates from leads: reading replies (status, colour, dates, note) and applying them."""
