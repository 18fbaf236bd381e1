"""Windows time zone names ('Pacific Standard Time') as IANA zones, by CLDR's windowsZones mapping.

The table is tzlocal's `windows_tz.win_tz`, which tzlocal generates from CLDR's windowsZones.xml (the
territory-001 zone of each Windows name), so it is kept current by upgrading a library, not by hand.
"""

from __future__ import annotations

from tzlocal.windows_tz import win_tz

from domain.errors import ValidationFailed
from domain.people.validation import valid_time_zone

# CLDR maps Windows' 'UTC' to Etc/UTC; Mentorgraph spells that zone 'UTC'. Other Etc/ zones are fixed offsets,
# which Mentorgraph refuses (they ignore a place's daylight saving): those records keep the zone they have.
_UTC_ALIASES = frozenset({"Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Universal", "Etc/Zulu"})


def iana_zone(name: str) -> str:
    """The IANA zone for a Windows zone name, or the name itself when it already is an IANA zone.

    ValidationFailed (field `time_zone`) names a zone neither table knows."""
    text = (name or "").strip()
    mapped = win_tz.get(text)
    if mapped in _UTC_ALIASES:
        mapped = "UTC"
    try:
        return valid_time_zone(mapped or text)
    except ValidationFailed:
        raise ValidationFailed(
            f"{text!r} is neither a Windows time zone in CLDR's mapping nor an IANA zone.", field="time_zone"
        ) from None
