"""An input's fingerprint survives a release that adds an optional field, and keys recorded the older way
(with nulls hashed) still replay rather than meeting a conflict."""

from __future__ import annotations

from domain.access import Role, Viewer
from domain.clock import utc_now
from domain.errors import Conflict
from domain.idempotency.models import IdempotencyRecord
from domain.idempotency.service import AnswerCodec, _legacy_fingerprint, fingerprint, once

VIEWER = Viewer(email="ada@acme.example", role=Role.ADMIN)
CODEC = AnswerCodec(remember=lambda answer: {"answer": answer}, recall=lambda kept: _kept(kept))


async def _kept(kept: dict) -> str:
    return kept["answer"]


def test_a_field_left_out_and_a_field_sent_as_null_are_the_same_input():
    before = {"csv": "email\n", "dry_run": False, "rows": [{"a": 1}]}
    after_a_new_optional_field = {"csv": "email\n", "dry_run": False, "background": None, "rows": [{"a": 1, "b": None}]}

    assert fingerprint("importPeople", after_a_new_optional_field) == fingerprint("importPeople", before)
    # a null is not a value: but false, zero and the empty string are, and still tell inputs apart
    assert fingerprint("importPeople", {**before, "dry_run": True}) != fingerprint("importPeople", before)
    assert fingerprint("importPeople", {**before, "csv": ""}) != fingerprint("importPeople", {**before, "csv": None})


async def test_a_key_recorded_with_nulls_hashed_still_replays_and_runs_nothing(db):
    arguments = {"title": "Lead a design review", "description": None}
    await IdempotencyRecord.create(
        viewer_email=VIEWER.email,
        key="k-1",
        operation="createGoal",
        fingerprint=_legacy_fingerprint("createGoal", arguments),
        answer={"answer": "the first run's answer"},
        created_at=utc_now(),
    )
    runs = []

    async def action() -> str:
        runs.append(1)
        return "a second run"

    again = await once(VIEWER, key="k-1", operation="createGoal", arguments=arguments, action=action, codec=CODEC)

    assert (again, runs) == ("the first run's answer", [])
    other = {"title": "Something else", "description": None}
    try:
        await once(VIEWER, key="k-1", operation="createGoal", arguments=other, action=action, codec=CODEC)
    except Conflict as conflict:
        assert conflict.field == "idempotency_key"
    else:
        raise AssertionError("other input under the same key must be a conflict")
    assert runs == []
