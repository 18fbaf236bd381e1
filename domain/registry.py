"""Every module that defines Tortoise models; the ORM, Alembic and the tests all read this one list."""

MODEL_MODULES: list[str] = [
    "domain.people.models",
    "domain.people.directory_models",
    "domain.people.import_jobs",
    "domain.skills.models",
    "domain.programs.models",
    "domain.relationships.models",
    "domain.matching.models",
    "domain.agreements.models",
    "domain.goals.models",
    "domain.meetings.models",
    "domain.calendar.models",
    "domain.calendar.inbound_models",
    "domain.outbox.models",
    "domain.idempotency.models",
    "domain.feedback.models",
    "domain.analytics.models",
]
