"""Property-based: every slot find_slots returns is in the window, free, the right length and labelled right.

The oracle here re-derives working hours and nights independently (per local day, both folds tried,
gaps walked minute by minute) so it checks the fast path in ``availability`` rather than repeating it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from domain.scheduling import Attendee, WorkingInterval, find_slots

ZONES = sorted(zone for zone in available_timezones() if zone != "localtime")
DST_DAYS = [
    date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 4), date(2026, 10, 25),
    date(2026, 11, 1), date(2027, 3, 14), date(2027, 3, 28), date(2027, 4, 4), date(2027, 10, 3),
    date(2027, 10, 31), date(2027, 11, 7), date(2028, 3, 12), date(2028, 3, 26), date(2028, 4, 2),
    date(2028, 10, 1), date(2028, 10, 29), date(2028, 11, 5),
]  # fmt: skip
MINUTE = timedelta(minutes=1)


@st.composite
def working_intervals(draw):
    start = draw(st.integers(0, 22 * 4)) * 15
    length = draw(st.integers(2, 40)) * 15
    end = min(start + length, 23 * 60 + 59)
    return WorkingInterval(draw(st.integers(0, 6)), time(start // 60, start % 60), time(end // 60, end % 60))


@st.composite
def windows(draw):
    if draw(st.booleans()):
        day = draw(st.sampled_from(DST_DAYS))
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=draw(st.integers(0, 36)))
    else:
        start = draw(st.datetimes(datetime(2024, 1, 1), datetime(2031, 12, 31), timezones=st.just(UTC)))
        start = start.replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=draw(st.integers(60, 3 * 24 * 60)))


@st.composite
def attendees(draw, window):
    start, end = window
    people = []
    for index in range(draw(st.integers(1, 3))):
        busy = []
        for _ in range(draw(st.integers(0, 3))):
            block_start = start + timedelta(minutes=draw(st.integers(-120, int((end - start) / MINUTE))))
            busy.append((block_start, block_start + timedelta(minutes=draw(st.integers(5, 300)))))
        night = draw(st.sampled_from([(time(22), time(7)), (time(0), time(6)), (time(23, 30), time(5, 30))]))
        people.append(
            Attendee(
                key=f"p{index}",
                zone=draw(st.sampled_from(ZONES)),
                working_hours=tuple(draw(st.lists(working_intervals(), min_size=1, max_size=6))),
                busy=tuple(busy),
                night_start=night[0],
                night_end=night[1],
            )
        )
    return people


def _resolve(day: date, wall: time, zone: ZoneInfo, edge: str) -> datetime:
    naive = datetime.combine(day, wall)
    real = []
    for fold in (0, 1):
        instant = naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == naive:
            real.append(instant)
    if real:
        return min(real) if edge == "start" else max(real)
    instant = min(naive.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))
    while instant.astimezone(zone).replace(tzinfo=None) < naive:  # walk out of the gap
        instant += MINUTE
    return instant


def _union(intervals):
    merged = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _covered(start, end, union) -> bool:
    return any(s <= start and end <= e for s, e in union)


def _oracle(person: Attendee, start: datetime, end: datetime):
    zone = ZoneInfo(person.zone)
    first = start.astimezone(zone).date() - timedelta(days=2)
    days = [first + timedelta(days=n) for n in range((end.astimezone(zone).date() - first).days + 3)]
    working = _union(
        (_resolve(d, i.start, zone, "start"), _resolve(d, i.end, zone, "end"))
        for d in days
        for i in person.working_hours
        if i.weekday == d.weekday()
    )
    next_day = timedelta(days=1) if person.night_start > person.night_end else timedelta(0)
    nights = [
        (
            _resolve(d, person.night_start, zone, "start"),
            _resolve(d + next_day, person.night_end, zone, "end"),
        )
        for d in days
    ]
    return working, nights


def _in_night(start, end, working, nights) -> bool:
    """Some part of [start, end) is night and not working time (checked minute by minute)."""
    instant = start
    while instant < end:
        if any(s <= instant < e for s, e in nights) and not any(s <= instant < e for s, e in working):
            return True
        instant += MINUTE
    return False


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data(), window=windows(), minutes=st.integers(1, 8), step=st.sampled_from([15, 30, 60]))
def test_every_slot_is_in_window_free_sized_and_labelled_by_the_oracle(data, window, minutes, step):
    # given random people in random zones with random hours and busy blocks around DST dates
    people = data.draw(attendees(window))
    duration = timedelta(minutes=15 * minutes)
    assume(any(p.longest_working_interval >= duration for p in people))
    start, end = window
    # when every slot is asked for
    slots = find_slots(people, start, end, duration, step=timedelta(minutes=step))
    # then each one is in the window, free, the right length and labelled as the oracle says
    oracles = {p.key: _oracle(p, start, end) for p in people}
    expected_starts = set()
    candidate = datetime.fromtimestamp(-(-int(start.timestamp()) // (step * 60)) * step * 60, UTC)
    while candidate + duration <= end:
        if all(not (b0 < candidate + duration and b1 > candidate) for p in people for b0, b1 in p.busy):
            expected_starts.add(candidate)
        candidate += timedelta(minutes=step)
    assert {slot.start for slot in slots} == expected_starts
    for slot in slots:
        assert start <= slot.start and slot.end <= end
        assert slot.end - slot.start == duration
        for p, seen in zip(people, slot.attendees, strict=True):
            zone = ZoneInfo(p.zone)
            assert seen.key == p.key
            assert all(not (b0 < slot.end and b1 > slot.start) for b0, b1 in p.busy)
            # Compare through UTC and by wall time plus fold: == across zones is always False in a fold.
            for local, instant in ((seen.local_start, slot.start), (seen.local_end, slot.end)):
                expected = instant.astimezone(zone)
                assert local.tzinfo == zone
                assert local.astimezone(UTC) == instant
                assert (local.replace(tzinfo=None), local.fold) == (
                    expected.replace(tzinfo=None),
                    expected.fold,
                )
            working, nights = oracles[p.key]
            assert seen.inside_working_hours == _covered(slot.start, slot.end, working)
            assert (seen.cost == 0) == seen.inside_working_hours
            if step >= 30:  # the minute walk is slow; sample it on coarser grids
                assert seen.in_night == _in_night(slot.start, slot.end, working, nights)
        assert slot.max_cost == max(a.cost for a in slot.attendees)


@SETTINGS
@given(data=st.data(), window=windows(), limit=st.integers(1, 12))
def test_a_limited_search_returns_the_head_of_the_full_ranking(data, window, limit):
    # given random people
    people = data.draw(attendees(window))
    duration = timedelta(minutes=60)
    assume(any(p.longest_working_interval >= duration for p in people))
    # when searched with and without a limit
    everything = find_slots(people, *window, duration)
    head = find_slots(people, *window, duration, limit=limit)
    # then the limited answer is exactly the first slots of the full ranking, which is sorted by the rule
    assert head == everything[:limit]
    keys = [(not s.inside_everyones_working_hours, s.max_cost, s.total_cost, s.start) for s in everything]
    assert keys == sorted(keys)
