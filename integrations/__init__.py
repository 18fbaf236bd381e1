"""Adapters to the outside world; each implements a port that domain/ declares."""
