"""Keeps survey answers out of the logs: the database drivers log every statement with its parameters at
DEBUG, and the statement flipping an instance to answered sits next to the insert of its anonymous answers.

The filter drops those lines wherever they are logged (aiosqlite logs from its own thread, so a
per-request flag would not reach it); it is installed when the answering code is imported.
"""

from __future__ import annotations

import logging

# Every survey table: the question lookup names the template, the instance lookup the survey.
SURVEY_TABLES = ("survey_",)
DRIVER_LOGGERS = ("tortoise.db_client", "aiosqlite", "asyncpg", "tortoise")


class DropSurveyStatements(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(table in message for table in SURVEY_TABLES)


_FILTER = DropSurveyStatements()


def install() -> None:
    for name in DRIVER_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
