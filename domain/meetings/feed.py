"""Personal calendar feeds: a secret token per person, and the events its URL lists.

A token is found by its SHA-256 (long and random, so a fast hash suffices) and otherwise kept only encrypted
under the server's secret key, so the table alone never yields a working URL while the owner can read their
URL again without rotating it (rotation, which breaks every subscribed calendar, is for a leaked URL).
Rotating replaces both, and the old URL stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from domain.access import Viewer
from domain.calendar.secrets import TokenCipher
from domain.meetings.models import AgendaItem, CalendarFeed, Meeting, MeetingAttendee, MeetingStatus, Rsvp
from domain.people.models import MeetingFormat, Person

LOOKBACK = timedelta(days=90)


@dataclass(frozen=True)
class FeedPerson:
    name: str
    email: str
    rsvp: Rsvp | None = None


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    sequence: int
    created: datetime
    last_modified: datetime
    start: datetime
    end: datetime
    title: str
    format: MeetingFormat
    agenda: tuple[str, ...]
    location: str
    url: str
    status: MeetingStatus
    organizer: FeedPerson
    attendees: tuple[FeedPerson, ...]


@dataclass(frozen=True)
class Feed:
    owner: FeedPerson
    events: tuple[FeedEvent, ...]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def rotate_feed(viewer: Viewer, *, now: datetime, cipher: TokenCipher | None = None) -> str:
    """A new secret token for the viewer's feed, kept encrypted when there is a cipher; any older URL stops working."""
    person_id = viewer.require_person()
    token = secrets.token_urlsafe(32)
    encrypted = cipher.encrypt(token) if cipher is not None else None
    await CalendarFeed.update_or_create(
        defaults={"token_hash": hash_token(token), "token_encrypted": encrypted, "rotated_at": now},
        person_id=person_id,
    )
    return token


@dataclass(frozen=True)
class CurrentFeed:
    # None when it was made while no secret key was configured: rotate once to get a readable URL.
    token: str | None
    created_at: datetime


async def current_feed(viewer: Viewer, *, person_id: int, cipher: TokenCipher | None) -> CurrentFeed | None:
    """The person's current feed token, for that person only; None for anyone else or before a first rotation."""
    if not viewer.is_person(person_id):
        return None
    feed = await CalendarFeed.get_or_none(person_id=person_id)
    if feed is None:
        return None
    token = None
    if feed.token_encrypted is not None and cipher is not None:
        token = cipher.decrypt(feed.token_encrypted)
    return CurrentFeed(token=token, created_at=feed.rotated_at)


async def rotate_feed_keys(cipher: TokenCipher) -> int:
    """Re-encrypts every stored feed token under the newest key, so an older key can be retired."""
    rotated = 0
    for feed_id, encrypted in await CalendarFeed.exclude(token_encrypted=None).values_list("id", "token_encrypted"):
        await CalendarFeed.filter(id=feed_id).update(token_encrypted=cipher.rotate(encrypted))
        rotated += 1
    return rotated


async def feed_for_token(token: str, *, now: datetime) -> Feed | None:
    """The owner's meetings from LOOKBACK ago onwards, cancelled ones included; None for an unknown token."""
    feed = await CalendarFeed.get_or_none(token_hash=hash_token(token))
    if feed is None:
        return None
    owner = await Person.get(id=feed.person_id)
    attended = MeetingAttendee.filter(person_id=owner.id).values("meeting_id")
    meetings = await Meeting.filter(id__in=Subquery(attended), starts_at__gte=now - LOOKBACK)
    ids = [m.id for m in meetings]
    attendance = await MeetingAttendee.filter(meeting_id__in=ids)
    agenda = await AgendaItem.filter(meeting_id__in=ids)
    people_ids = {a.person_id for a in attendance} | {m.organizer_id for m in meetings}
    people = {p.id: p for p in await Person.filter(id__in=people_ids)}
    attendees_of: dict[int, list[MeetingAttendee]] = defaultdict(list)
    for row in attendance:
        attendees_of[row.meeting_id].append(row)
    agenda_of: dict[int, list[str]] = defaultdict(list)
    for item in agenda:
        agenda_of[item.meeting_id].append(item.text)
    return Feed(
        owner=FeedPerson(owner.name, owner.email),
        events=tuple(_event(m, attendees_of[m.id], agenda_of[m.id], people) for m in meetings),
    )


def _event(
    meeting: Meeting, attendance: list[MeetingAttendee], agenda: list[str], people: dict[int, Person]
) -> FeedEvent:
    organizer = people[meeting.organizer_id]
    return FeedEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        created=meeting.created_at,
        last_modified=meeting.updated_at,
        start=meeting.starts_at,
        end=meeting.ends_at,
        title=meeting.title,
        format=meeting.format,
        agenda=tuple(agenda),
        location=meeting.location,
        url=meeting.conference_url,
        status=meeting.status,
        organizer=FeedPerson(organizer.name, organizer.email),
        attendees=tuple(FeedPerson(people[a.person_id].name, people[a.person_id].email, a.rsvp) for a in attendance),
    )
