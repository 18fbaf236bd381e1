"""Writing a finished run: its proposals with their members, carried-over locked proposals, totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.matching.models import MatchProposal, MatchProposalMember, MatchRun, ProposalStatus
from domain.relationships.models import MemberRole


@dataclass(frozen=True)
class NewProposal:
    members: list[tuple[int, MemberRole]]
    score: int
    breakdown: dict
    lessons: list[dict] = field(default_factory=list)

    @property
    def pair(self) -> tuple[int | None, int | None]:
        roles = dict((role, person) for person, role in self.members)
        return roles.get(MemberRole.MENTOR), roles.get(MemberRole.MENTEE)


async def member_rows(proposal_ids: list[int]) -> dict[int, list[tuple[int, MemberRole]]]:
    rows = await MatchProposalMember.filter(proposal_id__in=proposal_ids).order_by("id")
    members: dict[int, list[tuple[int, MemberRole]]] = {k: [] for k in proposal_ids}
    for row in rows:
        members[row.proposal_id].append((row.person_id, MemberRole(row.role)))
    return members


async def supersede_undecided(run: MatchRun) -> None:
    """Everything undecided from the program's earlier runs gives way to this one (locked ones are carried)."""
    await (
        MatchProposal.filter(
            run__program_id=run.program_id,
            run__dry_run=False,
            status__in=[ProposalStatus.PROPOSED, ProposalStatus.APPROVED, ProposalStatus.REJECTED],
        )
        .exclude(run_id=run.id)
        .update(status=ProposalStatus.SUPERSEDED)
    )


async def write_proposals(run: MatchRun, kept: list[MatchProposal], new: list[NewProposal]) -> None:
    """Carried-over locked proposals first (as they were), then the run's own, each with its members."""
    carried = await member_rows([old.id for old in kept])
    rows = [
        MatchProposal(
            run_id=run.id, status=old.status, mentor_id=old.mentor_id, mentee_id=old.mentee_id, score=old.score,
            breakdown=old.breakdown, lessons=old.lessons, locked=True, decided_by_id=old.decided_by_id,
            decided_at=old.decided_at,
        )
        for old in kept
    ] + [
        MatchProposal(run_id=run.id, mentor_id=p.pair[0], mentee_id=p.pair[1], score=p.score, breakdown=p.breakdown,
                      lessons=p.lessons)
        for p in new
    ]  # fmt: skip
    await MatchProposal.bulk_create(rows, batch_size=1000)
    # Ids in insertion order: bulk inserts do not hand them back on every engine.
    ids = await MatchProposal.filter(run_id=run.id).order_by("id").values_list("id", flat=True)
    members = [carried[old.id] for old in kept] + [p.members for p in new]
    await MatchProposalMember.bulk_create(
        [
            MatchProposalMember(proposal_id=proposal_id, person_id=person_id, role=role.value)
            for proposal_id, seats in zip(ids, members, strict=True)
            for person_id, role in seats
        ],
        batch_size=2000,
    )
