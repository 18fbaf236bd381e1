"""The bias audit of a stored run: demographics are read only here, after the matching, for aggregates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict

from domain.matching.audit import Outcome, audit
from domain.matching.pairing import PairingResult
from domain.matching.profiles import Mentor, Profile
from domain.people.models import Demographics


async def _groups(ids: list[int]) -> dict[int, dict[str, str | None]]:
    rows = await Demographics.filter(person_id__in=ids).values_list(
        "person_id", "gender", "ethnicity", "age_band", "generation"
    )
    return {
        person_id: {"gender": _text(g), "ethnicity": e, "age_band": _text(a), "generation": _text(n)}
        for person_id, g, e, a, n in rows
    }


def _text(value) -> str | None:
    return None if value is None else getattr(value, "value", value)


def _stored(outcomes: list[Outcome]) -> dict:
    report = audit(outcomes)
    return {"groups": [asdict(row) for row in report.groups], "dimensions": [asdict(d) for d in report.dimensions]}


async def pair_audit(result: PairingResult, mentors: Sequence[Mentor], mentees: Sequence[Profile]) -> dict:
    profiles = {m.profile.person_id: m.profile for m in mentors} | {p.person_id: p for p in mentees}
    groups = await _groups(list(profiles))
    by_person: dict[int, list] = {}
    for proposal in result.proposals:
        by_person.setdefault(proposal.mentor_id, []).append(proposal)
        by_person.setdefault(proposal.mentee_id, []).append(proposal)

    def outcome(person_id: int, role: str) -> Outcome:
        mine = by_person.get(person_id, [])
        levels = [(profiles[p.mentor_id].level, profiles[p.mentee_id].level) for p in mine]
        gaps = [abs(a - b) for a, b in levels if a is not None and b is not None]
        return Outcome(
            role=role,
            groups=groups.get(person_id, {}),
            matched=bool(mine),
            score=round(sum(p.score for p in mine) / len(mine)) if mine else None,
            cross_department=any(profiles[p.mentor_id].department != profiles[p.mentee_id].department for p in mine),
            seniority_gap=round(sum(gaps) / len(gaps)) if gaps else None,
        )

    return _stored(
        [outcome(m.profile.person_id, "MENTOR") for m in mentors] + [outcome(p.person_id, "MENTEE") for p in mentees]
    )


async def group_audit(placed: Mapping[int, int], peers: Sequence[Profile]) -> dict:
    """`placed` maps each placed peer to their circle's or swap's score."""
    groups = await _groups([p.person_id for p in peers])
    return _stored(
        [
            Outcome(role="PEER", groups=groups.get(p.person_id, {}), matched=p.person_id in placed,
                    score=placed.get(p.person_id))
            for p in peers
        ]
    )  # fmt: skip
