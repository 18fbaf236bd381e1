"""Who reads what of a person: everyone signed in reads the profile; demographics are the owner's alone."""

from __future__ import annotations

from domain.access import Viewer


def can_read_demographics(viewer: Viewer, person_id: int) -> bool:
    """Self-reported demographics are never shown to coordinators, analysts or admins, only aggregated."""
    return viewer.is_person(person_id)
