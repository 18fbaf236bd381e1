"""Calendar mutations: connecting and disconnecting one's own calendar, and an admin's retry of a meeting."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.access import Role
from domain.calendar import connections
from domain.calendar.models import CalendarConnection as ConnectionRow
from domain.calendar.models import ConnectionKind, Provider
from domain.clock import utc_now
from domain.errors import PermissionDenied, ValidationFailed
from domain.meetings.policy import MeetingView
from schema.calendar.types import CalendarConnection, CalendarProvider
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.meetings.types import Meeting
from schema.relay_ids import decode_id


@strawberry.input
class ConnectMyCalendarInput:
    provider: CalendarProvider


@strawberry.type
class ConnectMyCalendarPayload:
    authorization_url: str = strawberry.field(
        description="Open it in the browser; after consent the provider returns to /oauth/<provider>/callback."
    )


@strawberry.type
class DisconnectMyCalendarPayload:
    disconnected: CalendarConnection


@strawberry.input
class RetryCalendarSyncInput:
    meeting_id: relay.GlobalID


@strawberry.type
class RetryCalendarSyncPayload:
    meeting: Meeting


ConnectMyCalendarResult = result_union("ConnectMyCalendarResult", ConnectMyCalendarPayload)
DisconnectMyCalendarResult = result_union("DisconnectMyCalendarResult", DisconnectMyCalendarPayload)
RetryCalendarSyncResult = result_union("RetryCalendarSyncResult", RetryCalendarSyncPayload)


@strawberry.type
class CalendarMutations:
    @strawberry.mutation(description="Starts connecting your own Google or Outlook calendar (OAuth with PKCE).")
    async def connect_my_calendar(self, info: Info, input: ConnectMyCalendarInput) -> ConnectMyCalendarResult:
        async def action():
            person_id = info.context.viewer.require_person()
            oauth = info.context.calendar_oauth
            if oauth is None:
                raise ValidationFailed("Personal calendar connections are not set up on this server.", field="provider")
            return oauth.authorization_url(person_id=person_id, provider=Provider(input.provider.value))

        return await run_mutation(action, lambda url: ConnectMyCalendarPayload(authorization_url=url))

    @strawberry.mutation(description="Revokes and forgets your own calendar grant; meetings go back to ICS.")
    async def disconnect_my_calendar(self, info: Info) -> DisconnectMyCalendarResult:
        async def action():
            person_id = info.context.viewer.require_person()
            mine = await ConnectionRow.filter(kind=ConnectionKind.PERSONAL, person_id=person_id).first()
            oauth = info.context.calendar_oauth
            if mine is not None and oauth is not None and mine.refresh_token_encrypted:
                # The push channels first, while the grant still lets Mentorgraph stop them.
                await oauth.close_channels(mine)
                await oauth.revoke(
                    provider=mine.provider, refresh_token=oauth.cipher.decrypt(mine.refresh_token_encrypted)
                )
            return await connections.disconnect_personal(person_id=person_id, now=utc_now())

        return await run_mutation(
            action, lambda row: DisconnectMyCalendarPayload(disconnected=CalendarConnection.from_row(row))
        )

    @strawberry.mutation(description="Admins: sends a meeting to its organizer's calendar again (after FAILED).")
    async def retry_calendar_sync(self, info: Info, input: RetryCalendarSyncInput) -> RetryCalendarSyncResult:
        async def action():
            if info.context.viewer.role is not Role.ADMIN:
                raise PermissionDenied("Only admins can retry calendar sync.", field="meeting_id")
            meeting_id = decode_id(input.meeting_id, "Meeting", field="meeting_id")
            return await connections.retry_sync(meeting_id=meeting_id, now=utc_now())

        return await run_mutation(
            action, lambda row: RetryCalendarSyncPayload(meeting=Meeting.from_model(row, MeetingView.SCHEDULE))
        )
