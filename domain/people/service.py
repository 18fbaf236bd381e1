"""Use cases for people: finding them and keeping their profile, working week and demographics valid."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from tortoise.transactions import in_transaction

from domain.access import Role, Viewer
from domain.errors import ValidationFailed
from domain.people import validation as v
from domain.people.models import AgeBand, Demographics, Gender, Generation, Person, WorkingHours

DEMOGRAPHIC_TEXT_LENGTH = 100


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def viewer_for(*, email: str, role: Role) -> Viewer:
    """The Viewer for an authenticated email; person_id stays None until a profile with that email exists."""
    person_id = await Person.filter(email=normalise_email(email)).first().values_list("id", flat=True)
    return Viewer(email=normalise_email(email), role=role, person_id=person_id)


async def update_profile(viewer: Viewer, *, changes: dict) -> Person:
    """Changes the viewer's own editable fields; `changes` holds only what the caller sent."""
    person = await Person.get(id=viewer.require_person())
    cleaned: dict = {}
    if "name" in changes:
        cleaned["name"] = v.valid_name(changes["name"] or "")
    if "department" in changes:
        cleaned["department"] = v.valid_optional_text(changes["department"], field="department", max_length=120)
    if "job_title" in changes:
        cleaned["job_title"] = v.valid_optional_text(changes["job_title"], field="job_title", max_length=200)
    if "time_zone" in changes:
        cleaned["time_zone"] = v.valid_time_zone(changes["time_zone"] or "")
    if "languages" in changes:
        cleaned["languages"] = v.valid_languages(changes["languages"] or [])
    if "meeting_formats" in changes:
        cleaned["meeting_formats"] = v.valid_meeting_formats(changes["meeting_formats"] or [])
    if "bio" in changes:
        cleaned["bio"] = v.valid_optional_text(changes["bio"], field="bio", max_length=4000) or ""
    if cleaned:
        person.update_from_dict(cleaned)
        await person.save(update_fields=[*cleaned.keys(), "updated_at"])
    return person


async def set_working_hours(
    viewer: Viewer,
    *,
    hours: Sequence[tuple[int, datetime.time, datetime.time]],
    time_zone: str | None = None,
) -> Person:
    """Replaces the viewer's whole working week (empty clears it), and their time zone with it when given.

    The hours and the zone change together because the hours are read in that zone.
    """
    person_id = viewer.require_person()
    intervals = [
        v.valid_working_interval(weekday, start, end, field=f"hours[{index}]")
        for index, (weekday, start, end) in enumerate(hours)
    ]
    v.without_overlaps(intervals, field="hours")
    zone = None if time_zone is None else v.valid_time_zone(time_zone)
    async with in_transaction():
        # Locking the person serialises two concurrent replacements of one week (a no-op on SQLite).
        person = await Person.select_for_update().get(id=person_id)
        await WorkingHours.filter(person_id=person_id).delete()
        await WorkingHours.bulk_create(
            [
                WorkingHours(
                    person_id=person_id, weekday=i.weekday, start_minute=i.start_minute, end_minute=i.end_minute
                )
                for i in intervals
            ]
        )
        if zone is not None and zone != person.time_zone:
            person.time_zone = zone
            await person.save(update_fields=["time_zone", "updated_at"])
    return person


async def set_demographics(
    viewer: Viewer,
    *,
    gender: Gender | None = None,
    gender_self_description: str | None = None,
    ethnicity: str | None = None,
    age_band: AgeBand | None = None,
    generation: Generation | None = None,
    clear: bool = False,
) -> Demographics | None:
    """Replaces the viewer's self-reported demographics; `clear` or nothing given deletes them (returns None)."""
    person_id = viewer.require_person()
    description = v.valid_optional_text(
        gender_self_description, field="gender_self_description", max_length=DEMOGRAPHIC_TEXT_LENGTH
    )
    if description is not None and gender is not Gender.SELF_DESCRIBED:
        raise ValidationFailed(
            "A self-description goes with the gender SELF_DESCRIBED.", field="gender_self_description"
        )
    answers = dict(
        gender=gender,
        gender_self_description=description,
        ethnicity=v.valid_optional_text(ethnicity, field="ethnicity", max_length=DEMOGRAPHIC_TEXT_LENGTH),
        age_band=age_band,
        generation=generation,
    )
    if clear and any(value is not None for value in answers.values()):
        raise ValidationFailed("Either clear your demographics or give answers, not both.", field="clear")
    async with in_transaction():
        if clear or all(value is None for value in answers.values()):
            await Demographics.filter(person_id=person_id).delete()
            return None
        row, _ = await Demographics.update_or_create(defaults=answers, person_id=person_id)
    return row
