"""Mentorgraph's business: models, services and pure algorithms."""
