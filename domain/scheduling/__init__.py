"""Pure scheduling: slot search across time zones and fair rotation of recurring meetings (no I/O)."""

from domain.scheduling.attendees import Attendee, WorkingInterval
from domain.scheduling.cadence import occurrence_windows
from domain.scheduling.costs import NIGHT_PENALTY, OUT_OF_HOURS_BASE
from domain.scheduling.fixed_time import FixedTimeSeries, best_fixed_time_series, fixed_time_series_cost
from domain.scheduling.rotation import PlannedOccurrence, SeriesPlan, plan_series
from domain.scheduling.slots import AttendeeTime, Slot, find_slots

__all__ = [
    "NIGHT_PENALTY",
    "OUT_OF_HOURS_BASE",
    "Attendee",
    "AttendeeTime",
    "FixedTimeSeries",
    "PlannedOccurrence",
    "SeriesPlan",
    "Slot",
    "WorkingInterval",
    "best_fixed_time_series",
    "find_slots",
    "fixed_time_series_cost",
    "occurrence_windows",
    "plan_series",
]
