"""The one OAuth scope Mentorgraph asks Google for: events in the calendars it writes to."""

CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"
