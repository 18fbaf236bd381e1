"""The error every `mentorgraph` command raises for an expected failure, in a module of its own so that
commands defined outside api/cli.py raise the very class `main` catches (also under `python -m api.cli`)."""


class CommandFailed(Exception):
    """An expected failure of a command: printed as one line, exit status 2."""
