"""Booking rules: how soon, how far ahead, and how long after its end a meeting may go unconfirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class BookingRules:
    minimum_notice: timedelta = timedelta(minutes=15)
    # 24 months, the longest agreement a program allows, so any agreed series can be booked in one go.
    maximum_horizon: timedelta = timedelta(days=731)
    # A meeting nobody marks held within this time after its end counts as missed.
    missed_grace: timedelta = timedelta(hours=24)
