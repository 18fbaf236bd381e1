"""Who reads which part of an agreement. Pure rules over a relationship's access view."""

from __future__ import annotations

from collections.abc import Collection

from domain.access import Viewer
from domain.relationships.access import RelationshipAccess


def can_read_agreement(viewer: Viewer, access: RelationshipAccess) -> bool:
    """Members and the program's overseers read the metadata: version, cadence, length, dates, signatures."""
    return access.can_see_metadata(viewer)


def can_read_agreement_wording(viewer: Viewer, access: RelationshipAccess) -> bool:
    """What the members wrote to each other (confidentiality terms, topics, linked goals, change notes)
    stays between them: coordinators see that an agreement exists and is signed, not what it says."""
    return access.is_member(viewer)


def awaiting_signature(member_ids: Collection[int], signer_ids: Collection[int]) -> list[int]:
    return sorted(set(member_ids) - set(signer_ids))
