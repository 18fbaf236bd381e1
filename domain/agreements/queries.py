"""Read queries over agreements."""

from __future__ import annotations

from domain.agreements.models import AgreementVersion


async def current_terms(relationship_id: int) -> AgreementVersion | None:
    """The relationship's agreement as it stands (its newest version), or None before one is drafted."""
    return await AgreementVersion.filter(agreement__relationship_id=relationship_id).order_by("-number").first()
