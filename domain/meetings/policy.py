"""Who sees how much of a meeting. Pure rules over rows the caller has loaded.

Attendees and the relationship's members see everything. The program's coordinators (and admins) see
when a meeting is, who attends and its status — enough for a check-in when meetings stop happening —
but not its title, agenda, location, link or reasons, which belong to the conversation. Everyone else
sees nothing, not even that the meeting exists.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import Enum

from domain.access import Viewer
from domain.relationships.access import RelationshipAccess


class MeetingView(Enum):
    FULL = "FULL"
    SCHEDULE = "SCHEDULE"
    NONE = "NONE"


def meeting_view(viewer: Viewer, access: RelationshipAccess, attendee_ids: Collection[int]) -> MeetingView:
    if access.is_member(viewer) or (viewer.person_id is not None and viewer.person_id in attendee_ids):
        return MeetingView.FULL
    if access.oversees(viewer):
        return MeetingView.SCHEDULE
    return MeetingView.NONE
