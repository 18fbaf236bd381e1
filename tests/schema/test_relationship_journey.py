"""From a coordinator's proposal to an active relationship: the agreement is drafted, then signed by all."""

from __future__ import annotations

from domain.access import Role
from domain.agreements.models import Agreement
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramStatus
from domain.relationships.models import Relationship, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person
from tests.support import gid

PROPOSE = """
mutation Propose($input: ProposeRelationshipInput!) {
  proposeRelationship(input: $input) {
    __typename
    ... on RelationshipPayload { relationship { id status agreement { currentVersion cadence meetingMinutes } } }
    ... on Error { message field }
  }
}
"""

SIGN = """
mutation Sign($input: SignAgreementInput!) {
  signAgreement(input: $input) {
    __typename
    ... on SignAgreementPayload { relationshipActivated agreement { signedByAll awaitingSignatureFrom { name } } }
    ... on Error { message field }
  }
}
"""


async def test_a_proposal_comes_with_a_drafted_agreement_and_goes_active_once_both_have_signed(gql):
    cora = await make_person(name="Cora")
    program = await program_run_by(cora, status=ProgramStatus.MATCHING)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, name="Mara", capacity=2)
    mentee = await enrolled(program, EnrollmentRole.MENTEE, name="Milo")

    proposed = await gql(
        PROPOSE,
        {
            "input": {
                "programId": gid("Program", program.id),
                "members": [
                    {"personId": gid("Person", mentor.id), "role": "MENTOR"},
                    {"personId": gid("Person", mentee.id), "role": "MENTEE"},
                ],
            }
        },
        as_=cora,
        role=Role.COORDINATOR,
    )
    relationship = proposed["proposeRelationship"]["relationship"]
    assert relationship["status"] == "PROPOSED"
    assert relationship["agreement"] == {
        "currentVersion": 1,
        "cadence": program.cadence.value,
        "meetingMinutes": program.meeting_minutes,
    }

    sign = {"input": {"relationshipId": relationship["id"], "version": 1}}
    first = (await gql(SIGN, sign, as_=mentor))["signAgreement"]
    assert first["relationshipActivated"] is False
    assert first["agreement"]["awaitingSignatureFrom"] == [{"name": "Milo"}]
    second = (await gql(SIGN, sign, as_=mentee))["signAgreement"]
    assert second == {
        "__typename": "SignAgreementPayload",
        "relationshipActivated": True,
        "agreement": {"signedByAll": True, "awaitingSignatureFrom": []},
    }

    row = await Relationship.get(program_id=program.id)
    assert row.status is RelationshipStatus.ACTIVE
    assert row.started_at is not None
    assert await Agreement.filter(relationship_id=row.id).count() == 1
    statuses = await Enrollment.filter(program_id=program.id).values_list("status", flat=True)
    assert set(statuses) == {EnrollmentStatus.ACTIVE}
