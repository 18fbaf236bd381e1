"""Use cases for people: finding them and keeping their profile valid."""

from __future__ import annotations

from domain.access import Role, Viewer
from domain.people.models import Person


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def viewer_for(*, email: str, role: Role) -> Viewer:
    """The Viewer for an authenticated email; person_id stays None until a profile with that email exists."""
    person_id = await Person.filter(email=normalise_email(email)).first().values_list("id", flat=True)
    return Viewer(email=normalise_email(email), role=role, person_id=person_id)


async def update_profile(viewer: Viewer, *, changes: dict) -> Person:
    """Changes the viewer's own editable fields; `changes` holds only what the caller sent."""
    from domain.people import validation as v

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
