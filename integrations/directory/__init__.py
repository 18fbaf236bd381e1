"""What the directory adapters of both providers share: throttling retries and time zone names."""
