"""An answer given in Mentorgraph (respondToMeeting) reaches the attendee's own copy of the event where the
company connection can act for them (Google delegation, Graph application permission), and from there the
organizer's event, as the providers carry it. Real client libraries against the fakes."""

from __future__ import annotations

import pytest

from domain.access import Role, Viewer
from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import Provider
from domain.meetings import service
from domain.meetings.models import MeetingAttendee, Rsvp
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.people.models import Person
from tests.factories import make_person
from tests.fakes.calendar_setup import connect
from tests.fakes.google_calendar import google_error
from tests.fakes.http_fake import Fault, Reply
from tests.fakes.microsoft_graph import graph_error
from tests.integrations.calendar.conftest import book, pair, settle

DOMAIN = "acme.example"
PROVIDERS = [Provider.GOOGLE, Provider.MICROSOFT]
GOOGLE_WORDS = {Rsvp.ACCEPTED: "accepted", Rsvp.DECLINED: "declined", Rsvp.TENTATIVE: "tentative"}
GRAPH_WORDS = {Rsvp.ACCEPTED: "accepted", Rsvp.DECLINED: "declined", Rsvp.TENTATIVE: "tentativelyAccepted"}


def running_fake(provider, request):
    return request.getfixturevalue("google" if provider is Provider.GOOGLE else "microsoft")


def as_viewer(person: Person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


def is_answer(request) -> bool:
    """The write of an answer: Google's PATCH of a copy (no organizer patches in these tests), Graph's actions."""
    return request.method == "PATCH" or request.path.endswith(("/accept", "/decline", "/tentativelyAccept"))


def is_look_up(request) -> bool:
    return request.method == "GET" and request.path.startswith(("/calendar/", "/v1.0/users/"))


def unavailable(provider) -> Reply:
    if provider is Provider.GOOGLE:
        return google_error(503, "backendError", "Service unavailable")
    return graph_error(503, "ServiceUnavailable", "Service Unavailable", retry_after="0.01")


def answers_sent(fake) -> list:
    return [r for r in fake.requests if is_answer(r)]


def shown(provider, fake, organizer: str, attendee: str) -> tuple[str, str]:
    """The attendee's response as their own copy shows it, and as the organizer's event does."""
    [event] = fake.organizer_events(organizer)
    [copy] = fake.events_of(attendee)
    if provider is Provider.GOOGLE:
        mine = next(a for a in copy["attendees"] if a.get("self"))["responseStatus"]
        theirs = next(a for a in event["attendees"] if a["email"] == attendee)["responseStatus"]
        return mine, theirs
    theirs = next(a for a in event["attendees"] if a["emailAddress"]["address"] == attendee)["status"]["response"]
    return copy["responseStatus"]["response"], theirs


def words(provider) -> dict:
    return GOOGLE_WORDS if provider is Provider.GOOGLE else GRAPH_WORDS


async def nothing_pending() -> bool:
    return not await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).exists()


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_an_answer_reaches_the_attendees_own_copy_and_the_organizers_event(db, worker, provider, request):
    running = running_fake(provider, request)
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, ben)
    await settle(worker)

    await service.respond(as_viewer(ben), meeting_id=meeting.id, response=Rsvp.ACCEPTED)
    await settle(worker)

    accepted = words(provider)[Rsvp.ACCEPTED]
    assert shown(provider, running.fake, ana.email, ben.email) == (accepted, accepted)
    [event] = running.fake.organizer_events(ana.email)
    uid = event["iCalUID"] if provider is Provider.GOOGLE else event["iCalUId"]
    assert [(r.ical_uid, r.response) for r in running.fake.responses] == [(uid, accepted)]
    [sent] = answers_sent(running.fake)
    # Acting as Ben in Ben's own calendar: delegation on Google, the application permission on Graph.
    if provider is Provider.GOOGLE:
        assert (sent.subject, sent.path.split("/")[4]) == (ben.email, ben.email)
    else:
        assert sent.path.startswith(f"/v1.0/users/{ben.email}/events/") and sent.path.endswith("/accept")
    assert await nothing_pending()


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_changed_mind_and_repeated_answers_send_one_response_per_change(db, worker, provider, request):
    running = running_fake(provider, request)
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, ben)
    await settle(worker)
    ben_viewer = as_viewer(ben)

    # Two answers before the worker runs: only the current one is sent.
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.ACCEPTED)
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.DECLINED)
    await settle(worker)
    # The same answer again (a retried mutation, or one the calendar itself reported): the copy already says it.
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.DECLINED)
    await settle(worker)
    assert len(answers_sent(running.fake)) == 1
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.TENTATIVE)
    await settle(worker)

    assert [r.response for r in running.fake.responses] == [
        words(provider)[Rsvp.DECLINED],
        words(provider)[Rsvp.TENTATIVE],
    ]
    assert len(answers_sent(running.fake)) == 2
    tentative = words(provider)[Rsvp.TENTATIVE]
    assert shown(provider, running.fake, ana.email, ben.email) == (tentative, tentative)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_an_answer_whose_response_was_lost_after_it_committed_is_not_sent_again(db, worker, provider, request):
    running = running_fake(provider, request)
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, ben)
    await settle(worker)
    # The write lands and its answer never comes back; before that, the first look-up fails outright.
    running.fake.faults.queue(Fault("lost-response", None, after_commit=True), when=is_answer)
    running.fake.faults.queue(Fault("503", unavailable(provider)), when=is_look_up)

    await service.respond(as_viewer(ben), meeting_id=meeting.id, response=Rsvp.ACCEPTED)
    await settle(worker)

    accepted = words(provider)[Rsvp.ACCEPTED]
    assert shown(provider, running.fake, ana.email, ben.email) == (accepted, accepted)
    assert [r.response for r in running.fake.responses] == [accepted]
    # The retry reads the copy, finds the answer there and sends nothing. (httplib2 itself re-sends a request
    # once on a connection dropped before any answer, within the same attempt; httpx does not.)
    resent_by_the_library = ["lost-response", ""] if provider is Provider.GOOGLE else ["lost-response"]
    assert [r.fault for r in answers_sent(running.fake)] == resent_by_the_library
    assert await nothing_pending()


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_an_answer_given_before_the_event_exists_waits_for_it(db, worker, provider, request):
    running = running_fake(provider, request)
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, ben)

    await service.respond(as_viewer(ben), meeting_id=meeting.id, response=Rsvp.TENTATIVE)
    await settle(worker)

    tentative = words(provider)[Rsvp.TENTATIVE]
    assert shown(provider, running.fake, ana.email, ben.email) == (tentative, tentative)
    assert len(running.fake.responses) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_an_attendee_no_company_connection_covers_answers_in_mentorgraph_only(db, worker, provider, request):
    running = running_fake(provider, request)
    ana = await make_person(name="Ana", email=f"ana@{DOMAIN}")
    cleo = await make_person(name="Cleo", email="cleo@elsewhere.example")
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, cleo)
    await settle(worker)
    before = len(running.fake.requests)

    await service.respond(as_viewer(cleo), meeting_id=meeting.id, response=Rsvp.DECLINED)
    await settle(worker)

    assert running.fake.requests[before:] == []
    assert await MeetingAttendee.get(meeting_id=meeting.id, person_id=cleo.id).values_list("rsvp", flat=True) == (
        Rsvp.DECLINED
    )
    assert await nothing_pending()
