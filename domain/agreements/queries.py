"""Read queries over agreements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from domain.agreements.models import Agreement, AgreementVersion
from domain.programs.models import Cadence, Program
from domain.relationships.models import Relationship


class AgreedTerms(NamedTuple):
    cadence: Cadence
    meeting_minutes: int


async def current_terms(relationship_id: int) -> AgreementVersion | None:
    """The relationship's agreement as it stands (its newest version), or None before one is drafted."""
    return await AgreementVersion.filter(agreement__relationship_id=relationship_id).order_by("-number").first()


async def agreed_terms(relationships: Sequence[Relationship]) -> dict[int, AgreedTerms]:
    """Cadence and meeting length per relationship: its agreement's current version, else its program's
    defaults (before an agreement is drafted). Three queries however many relationships."""
    ids = [r.id for r in relationships]
    programs = {
        program_id: AgreedTerms(Cadence(cadence), minutes)
        for program_id, cadence, minutes in await Program.filter(
            id__in={r.program_id for r in relationships}
        ).values_list("id", "cadence", "meeting_minutes")
    }
    agreements = await Agreement.filter(relationship_id__in=ids).values_list("id", "relationship_id", "current_version")
    versions = await AgreementVersion.filter(agreement_id__in=[a[0] for a in agreements]).values_list(
        "agreement_id", "number", "cadence", "meeting_minutes"
    )
    by_version = {(agreement_id, number): (cadence, minutes) for agreement_id, number, cadence, minutes in versions}
    agreed = {
        relationship_id: AgreedTerms(
            Cadence(by_version[(agreement_id, current)][0]), by_version[(agreement_id, current)][1]
        )
        for agreement_id, relationship_id, current in agreements
        if (agreement_id, current) in by_version
    }
    return {r.id: agreed.get(r.id) or programs[r.program_id] for r in relationships}
