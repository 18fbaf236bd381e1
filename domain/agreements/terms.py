"""Checks on agreement terms, pure over plain values: lengths, dates, and who teaches whom."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from domain.errors import ValidationFailed
from domain.people.models import MeetingFormat
from domain.programs.models import ProgramKind

MIN_MEETING_MINUTES = 15
MAX_MEETING_MINUTES = 240
MAX_CHANNELS = 10
MAX_TOPICS = 20
MAX_CONFIDENTIALITY_LENGTH = 4000
MAX_CHANGE_NOTE_LENGTH = 2000
# Both sides teach in these kinds, so an agreement that leaves someone only learning is not the agreement.
EVERY_MEMBER_TEACHES = frozenset({ProgramKind.REVERSE, ProgramKind.SKILL_SWAP})


@dataclass(frozen=True)
class TopicTerm:
    """One direction of teaching as the caller gave it; `skill` is a taxonomy name or alias."""

    teacher_id: int
    learner_id: int | None = None
    skill: str | None = None
    topic: str | None = None
    # Set instead of `skill` when the term is copied from an earlier version.
    skill_id: int | None = None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_meeting_minutes(minutes: int, *, field: str = "meeting_minutes") -> int:
    if not MIN_MEETING_MINUTES <= minutes <= MAX_MEETING_MINUTES:
        raise ValidationFailed(
            f"Meetings last between {MIN_MEETING_MINUTES} and {MAX_MEETING_MINUTES} minutes.", field=field
        )
    return minutes


def valid_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed("The agreement cannot end before it starts.", field="ends_on")


def valid_text(value: str, *, field: str, max_length: int) -> str:
    text = value.strip()
    if len(text) > max_length:
        raise ValidationFailed(f"At most {max_length} characters.", field=field)
    return text


def valid_channels(values: Iterable[str], *, field: str = "channels") -> list[str]:
    """Free-form names ('Slack', 'email'), trimmed and de-duplicated case-insensitively."""
    channels: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        name = " ".join(value.split())
        if not name or len(name) > 60:
            raise ValidationFailed("Name a channel in 1 to 60 characters.", field=f"{field}[{index}]")
        if name.lower() not in seen:
            seen.add(name.lower())
            channels.append(name)
    if len(channels) > MAX_CHANNELS:
        raise ValidationFailed(f"At most {MAX_CHANNELS} channels.", field=field)
    return channels


def valid_meeting_formats(values: Iterable[MeetingFormat]) -> list[str]:
    return list(dict.fromkeys(MeetingFormat(value).value for value in values))


def check_topic_people(topics: Sequence[TopicTerm], *, member_ids: Collection[int], kind: ProgramKind) -> None:
    """Teachers and learners are members, nobody teaches themselves, and in reverse and skill-swap pairs
    every member teaches something ("Ana mentors Ben on X; Ben mentors Ana on Y")."""
    if len(topics) > MAX_TOPICS:
        raise ValidationFailed(f"At most {MAX_TOPICS} topics.", field="topics")
    for index, term in enumerate(topics):
        if term.teacher_id not in member_ids:
            raise ValidationFailed(
                "The teacher must be a member of the relationship.", field=f"topics[{index}].teacher_id"
            )
        if term.learner_id is not None and term.learner_id not in member_ids:
            raise ValidationFailed(
                "The learner must be a member of the relationship.", field=f"topics[{index}].learner_id"
            )
        if term.learner_id == term.teacher_id:
            raise ValidationFailed("Nobody teaches themselves.", field=f"topics[{index}].learner_id")
        if not (term.skill or "").strip() and not (term.topic or "").strip():
            raise ValidationFailed("Name a skill or describe the topic.", field=f"topics[{index}].topic")
        if term.topic is not None and len(term.topic.strip()) > 200:
            raise ValidationFailed("At most 200 characters.", field=f"topics[{index}].topic")
    check_exchange([direction_of(term) for term in topics], member_ids=member_ids, kind=kind)


@dataclass(frozen=True)
class Direction:
    """Who teaches what to whom; no learner means every other member learns it."""

    teacher_id: int
    learner_id: int | None
    subject: str  # what is taught, comparable between topics of one agreement


def subject_key(*, skill_id: int | None = None, skill: str | None = None, topic: str | None = None) -> str:
    """A skill from the taxonomy is the subject whatever the wording around it; otherwise the wording is."""
    if skill_id is not None:
        return f"skill:{skill_id}"
    if (skill or "").strip():
        return f"skill name:{' '.join(skill.split()).lower()}"
    return f"topic:{' '.join((topic or '').split()).lower()}"


def direction_of(term: TopicTerm) -> Direction:
    return Direction(
        term.teacher_id, term.learner_id, subject_key(skill_id=term.skill_id, skill=term.skill, topic=term.topic)
    )


def check_exchange(directions: Collection[Direction], *, member_ids: Collection[int], kind: ProgramKind) -> None:
    """Reverse and skill-swap agreements are exchanges: every member teaches a topic, and in a skill swap
    every member also learns a skill other than the one they teach."""
    if kind not in EVERY_MEMBER_TEACHES:
        return
    if set(member_ids) - {direction.teacher_id for direction in directions}:
        raise ValidationFailed(
            f"In a {kind.value} agreement every member teaches a topic; name one for each member.", field="topics"
        )
    if kind is not ProgramKind.SKILL_SWAP:
        return
    for member in sorted(member_ids):
        taught = {d.subject for d in directions if d.teacher_id == member}
        learned = {d.subject for d in directions if d.teacher_id != member and d.learner_id in (None, member)}
        if not learned - taught:
            raise ValidationFailed(
                "In a SKILL_SWAP agreement every member also learns a skill other than the one they teach; "
                "name a topic each member learns.",
                field="topics",
            )
