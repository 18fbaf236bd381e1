"""A synthetic company for the directory fakes: a reporting tree, departments, titles and time zones.

Deterministic, so a test and the benchmark can say exactly which records change and what should land.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakes.google_directory import FakeGoogleWorkspace
from tests.fakes.graph_directory import FakeEntraDirectory

# (Windows name as Outlook stores it, the IANA zone CLDR maps it to)
ZONES = (
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Eastern Standard Time", "America/New_York"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("India Standard Time", "Asia/Calcutta"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
)
DEPARTMENTS = ("Engineering", "Sales", "Finance", "People", "Operations", "Design")
FAN_OUT = 8


@dataclass
class OrgPerson:
    index: int
    domain: str

    @property
    def external_id(self) -> str:
        return f"00000000-0000-4000-8000-{self.index:012d}"

    @property
    def email(self) -> str:
        return f"person{self.index}@{self.domain}"

    @property
    def name(self) -> str:
        return f"Person {self.index}"

    @property
    def department(self) -> str:
        return DEPARTMENTS[self.index % len(DEPARTMENTS)]

    @property
    def title(self) -> str:
        return "Chief Executive" if self.index == 0 else f"Specialist {self.index % 7}"

    @property
    def manager_index(self) -> int | None:
        return None if self.index == 0 else (self.index - 1) // FAN_OUT

    @property
    def windows_zone(self) -> str:
        return ZONES[self.index % len(ZONES)][0]

    @property
    def iana_zone(self) -> str:
        return ZONES[self.index % len(ZONES)][1]


def organisation(size: int, *, domain: str = "contoso.example") -> list[OrgPerson]:
    return [OrgPerson(index, domain) for index in range(size)]


def external_id(index: int) -> str:
    return OrgPerson(index, "").external_id


def mailbox(windows_zone: str, *, days=("monday", "tuesday", "wednesday", "thursday", "friday")) -> dict:
    return {
        "timeZone": windows_zone,
        "workingHours": {
            "daysOfWeek": list(days),
            "startTime": "09:00:00.0000000",
            "endTime": "17:00:00.0000000",
            "timeZone": {"name": windows_zone},
        },
    }


def populate_entra(fake: FakeEntraDirectory, people: list[OrgPerson]) -> None:
    for person in people:
        manager = person.manager_index
        fake.add_user(
            person.external_id,
            manager_id=None if manager is None else external_id(manager),
            mailbox=mailbox(person.windows_zone),
            mail=person.email,
            displayName=person.name,
            department=person.department,
            jobTitle=person.title,
            accountEnabled=True,
            officeLocation="HQ",
            preferredLanguage="en-US",
            employeeHireDate="2020-01-06T00:00:00Z",
        )


def populate_workspace(fake: FakeGoogleWorkspace, people: list[OrgPerson], *, level_schema: bool = False) -> None:
    for person in people:
        manager = person.manager_index
        fake.add_user(
            person.email,
            name=person.name,
            department=person.department,
            title=person.title,
            manager=None if manager is None else OrgPerson(manager, person.domain).email,
            time_zone=person.iana_zone,
            user_id=str(100_000_000_000_000_000 + person.index),
            custom={"HR": {"level": str(1 + person.index % 9)}} if level_schema else None,
        )
