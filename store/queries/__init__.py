"""Queries and writes over the tables, one module per subject; every SQL statement is here."""
