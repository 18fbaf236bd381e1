"""People: profile, reporting line, working hours, and self-reported demographics kept apart."""

from __future__ import annotations

import datetime
from enum import Enum

from tortoise import fields
from tortoise.models import Model


class MeetingFormat(str, Enum):
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    IN_PERSON = "IN_PERSON"
    ASYNC = "ASYNC"


class Gender(str, Enum):
    WOMAN = "WOMAN"
    MAN = "MAN"
    NON_BINARY = "NON_BINARY"
    SELF_DESCRIBED = "SELF_DESCRIBED"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY"


class AgeBand(str, Enum):
    UNDER_25 = "UNDER_25"
    FROM_25_TO_34 = "FROM_25_TO_34"
    FROM_35_TO_44 = "FROM_35_TO_44"
    FROM_45_TO_54 = "FROM_45_TO_54"
    FROM_55_TO_64 = "FROM_55_TO_64"
    OVER_64 = "OVER_64"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY"


class Generation(str, Enum):
    GEN_Z = "GEN_Z"
    MILLENNIAL = "MILLENNIAL"
    GEN_X = "GEN_X"
    BABY_BOOMER = "BABY_BOOMER"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY"


class Person(Model):
    id = fields.IntField(primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every engine.
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200)
    department = fields.CharField(max_length=120, null=True, db_index=True)
    job_title = fields.CharField(max_length=200, null=True)
    level = fields.SmallIntField(null=True, description="Ordinal seniority: higher is more senior")
    # SET_NULL: a manager leaving must not take their reports' history with them.
    manager: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="direct_reports", null=True, on_delete=fields.SET_NULL
    )
    time_zone = fields.CharField(max_length=64, default="UTC")
    languages = fields.JSONField(default=list)
    meeting_formats = fields.JSONField(default=list)
    bio = fields.TextField(default="")
    is_active = fields.BooleanField(default=True, db_index=True)
    # The day someone left the company (inactive people, from an import or directory sync): retention and
    # the ROI's turnover count leavers by it.
    left_on = fields.DateField(null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "person"
        ordering = ("id",)


class WorkingHours(Model):
    """One stretch of a working day in the person's own zone; a day may have several."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="working_hours", on_delete=fields.CASCADE
    )
    weekday = fields.SmallIntField(description="0 is Monday")
    # Minutes after local midnight: a wall-clock time without a date, portable across engines
    # (SQLite has no TIME type), and what the scheduling arithmetic works in anyway.
    start_minute = fields.SmallIntField()
    end_minute = fields.SmallIntField()

    class Meta:
        table = "working_hours"
        unique_together = (("person", "weekday", "start_minute"),)
        ordering = ("weekday", "start_minute")

    @property
    def start_time(self) -> datetime.time:
        return minutes_to_time(self.start_minute)

    @property
    def end_time(self) -> datetime.time:
        return minutes_to_time(self.end_minute)


def time_to_minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def minutes_to_time(minutes: int) -> datetime.time:
    """1440 (the end of the day) reads back as 23:59, the latest wall-clock time a `time` can hold."""
    if minutes >= 24 * 60:
        return datetime.time(23, 59)
    return datetime.time(minutes // 60, minutes % 60)


class Demographics(Model):
    """Self-reported, optional, readable by its owner only, and never an input to matching."""

    id = fields.IntField(primary_key=True)
    person: fields.OneToOneRelation[Person] = fields.OneToOneField(
        "models.Person", related_name="demographics", on_delete=fields.CASCADE
    )
    gender = fields.CharEnumField(Gender, max_length=32, null=True)
    gender_self_description = fields.CharField(max_length=100, null=True)
    ethnicity = fields.CharField(max_length=100, null=True)
    age_band = fields.CharEnumField(AgeBand, max_length=32, null=True)
    generation = fields.CharEnumField(Generation, max_length=32, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "demographics"
