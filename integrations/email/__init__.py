"""Email out through SMTP."""
