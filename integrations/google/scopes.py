"""The OAuth scopes Mentorgraph asks Google for: events in the calendars it writes to, and free/busy to read."""

CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"
# freebusy.query accepts none of the events scopes; this one shows busy times only, never event details.
CALENDAR_FREEBUSY = "https://www.googleapis.com/auth/calendar.freebusy"
