"""Reads that need the database, apart from the writes in services/."""
