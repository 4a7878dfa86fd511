"""Business rules and vocabularies. Nothing in this package imports Flask."""
