"""Self-service (tier 2): a mentee asks a mentor, who accepts or declines before the request expires."""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.programs.models import Enrollment, EnrollmentRole, Program, ProgramCoordinator, ProgramTier
from domain.relationships import guards
from domain.relationships.access import can_see_mentor_request
from domain.relationships.models import MemberRole, MentorRequest, MentorRequestStatus, RelationshipOrigin
from domain.relationships.rules import ELIGIBLE_ENROLLMENT, Seat
from domain.relationships.service import check_takes_relationships, create_relationship, valid_note
from domain.relationships.timing import RelationshipTiming

REQUEST_LIFETIME = RelationshipTiming().mentor_request_lifetime


async def _enrollment(program_id: int, person_id: int, role: EnrollmentRole) -> Enrollment | None:
    return await Enrollment.get_or_none(
        program_id=program_id, person_id=person_id, role=role, status__in=list(ELIGIBLE_ENROLLMENT)
    )


def _pending_between(mentee_id: int, mentor_id: int, now: datetime.datetime):
    return MentorRequest.filter(
        mentee_id=mentee_id, mentor_id=mentor_id, status=MentorRequestStatus.PENDING, expires_at__gte=now
    )


async def request_mentor(
    viewer: Viewer,
    *,
    program_id: int,
    mentor_id: int,
    message: str | None,
    now: datetime.datetime,
    expires_in: datetime.timedelta = REQUEST_LIFETIME,
) -> MentorRequest:
    mentee_id = viewer.require_person()
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise NotFound("No such program.", field="program_id")
    if program.tier is not ProgramTier.SELF_SERVICE:
        raise ValidationFailed("Only self-service (tier 2) programs take requests to a mentor.", field="program_id")
    check_takes_relationships(program)
    text = valid_note(message, field="message")
    if mentor_id == mentee_id:
        raise ValidationFailed("You cannot ask yourself to be your mentor.", field="mentor_id")
    if await _enrollment(program_id, mentee_id, EnrollmentRole.MENTEE) is None:
        raise PermissionDenied("Only the program's approved mentees can ask for a mentor.", field="program_id")
    mentor_enrollment = await _enrollment(program_id, mentor_id, EnrollmentRole.MENTOR)
    if mentor_enrollment is None:
        raise ValidationFailed("This person is not an approved mentor of the program.", field="mentor_id")
    pair = [(mentee_id, "program_id"), (mentor_id, "mentor_id")]
    await guards.check_no_reporting_line(pair)
    await guards.check_not_excluded(program_id, pair)
    await guards.check_not_paired(program_id, pair)
    # Advisory here (the mentor may free a seat before answering); the accept re-checks under a lock.
    await guards.check_capacity(mentor_enrollment, field="mentor_id")
    async with in_transaction():
        # The mentee's enrollment lock makes "one pending request per mentor" hold under double submits.
        await guards.lock_enrollments(program_id, [mentee_id])
        if await _pending_between(mentee_id, mentor_id, now).exists():
            raise Conflict("You already have a pending request to this mentor.", field="mentor_id")
        await MentorRequest.filter(
            mentee_id=mentee_id, mentor_id=mentor_id, status=MentorRequestStatus.PENDING, expires_at__lt=now
        ).update(status=MentorRequestStatus.EXPIRED)
        return await MentorRequest.create(
            program_id=program_id, mentee_id=mentee_id, mentor_id=mentor_id, message=text, expires_at=now + expires_in
        )


async def _visible_request(viewer: Viewer, request_id: int) -> MentorRequest:
    """The request if the viewer may see it; otherwise NotFound, so its existence stays private."""
    request = await MentorRequest.get_or_none(id=request_id)
    if request is not None:
        coordinators = await ProgramCoordinator.filter(program_id=request.program_id).values_list(
            "person_id", flat=True
        )
        if can_see_mentor_request(viewer, request, coordinators):
            return request
    raise NotFound("No such mentor request.", field="request_id")


def _check_answerable(request: MentorRequest, now: datetime.datetime) -> None:
    if request.status is MentorRequestStatus.MENTOR_FULL:
        raise Conflict("The mentor's places are all taken; this request was closed.", field="request_id")
    if request.status is not MentorRequestStatus.PENDING:
        raise InvalidTransition(f"This request is already {request.status.value}.", field="request_id")
    if now > request.expires_at:
        raise InvalidTransition("This request has expired.", field="request_id")


async def respond(
    viewer: Viewer, *, request_id: int, accept: bool, message: str | None, now: datetime.datetime
) -> MentorRequest:
    """The mentor's answer; accepting creates a PROPOSED one-on-one that goes active once the agreement is signed."""
    request = await _visible_request(viewer, request_id)
    if viewer.person_id != request.mentor_id:
        raise PermissionDenied("Only the mentor asked can answer this request.", field="request_id")
    text = valid_note(message, field="message")
    _check_answerable(request, now)
    program = await Program.get(id=request.program_id)
    async with in_transaction():
        # Enrollments before the request, as every path that closes a full mentor's requests locks them:
        # an accept waiting for the mentor's place never holds a request row the winner must close.
        await guards.lock_enrollments(request.program_id, [request.mentor_id, request.mentee_id])
        request = await MentorRequest.filter(id=request_id).select_for_update().get()
        _check_answerable(request, now)  # a concurrent answer or cancel may have got there first
        if accept:
            check_takes_relationships(program, field="request_id")
            pair = [
                Seat(request.mentor_id, MemberRole.MENTOR, "request_id", "request_id"),
                Seat(request.mentee_id, MemberRole.MENTEE, "request_id", "request_id"),
            ]
            relationship = await create_relationship(
                program, pair, origin=RelationshipOrigin.SELF_SERVICE, created_by_id=request.mentor_id, now=now
            )
            request.relationship_id = relationship.id
            # Taking the mentor's last place closed their pending requests as MENTOR_FULL, this one included;
            # the whole-row save below answers this one as accepted.
        request.status = MentorRequestStatus.ACCEPTED if accept else MentorRequestStatus.DECLINED
        request.responded_at = now
        request.response_message = text
        await request.save()
    return request


async def cancel(viewer: Viewer, *, request_id: int, now: datetime.datetime) -> MentorRequest:
    request = await _visible_request(viewer, request_id)
    if viewer.person_id != request.mentee_id:
        raise PermissionDenied("Only the mentee who asked can cancel this request.", field="request_id")
    _check_answerable(request, now)
    async with in_transaction():
        request = await MentorRequest.filter(id=request_id).select_for_update().get()
        _check_answerable(request, now)
        request.status = MentorRequestStatus.CANCELLED
        request.responded_at = now
        await request.save()
    return request


async def expire_requests(now: datetime.datetime) -> int:
    """Marks every request whose time ran out unanswered as EXPIRED; returns how many."""
    return await MentorRequest.filter(status=MentorRequestStatus.PENDING, expires_at__lt=now).update(
        status=MentorRequestStatus.EXPIRED
    )
