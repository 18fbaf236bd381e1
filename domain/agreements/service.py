"""Use cases for agreements: the first draft, amendments (new versions) and signatures.

Signing twice is idempotent: the second call writes nothing and keeps the first signature's time.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.agreements import terms as t
from domain.agreements.models import Agreement, AgreementGoal, AgreementSignature, AgreementTopic, AgreementVersion
from domain.clock import utc_now
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.goals.models import Goal
from domain.programs.models import Program
from domain.relationships.access import relationship_access
from domain.relationships.activation import activate_if_proposed
from domain.relationships.lifecycle import CLOSED
from domain.relationships.models import Relationship, RelationshipMember
from domain.relationships.reporting import check_reporting_line_still_clear
from domain.skills.taxonomy import resolve_skills

# Terms copied from the current version when an amendment leaves them out.
_SCALAR_TERMS = ("cadence", "meeting_minutes", "starts_on", "ends_on", "confidentiality", "channels", "meeting_formats")


@dataclass(frozen=True)
class SignOutcome:
    agreement: Agreement
    relationship_activated: bool


async def draft_initial_agreement(
    relationship: Relationship,
    *,
    program: Program,
    created_by_id: int | None,
    now: datetime.datetime,
    topics: Sequence[t.TopicTerm] = (),
) -> Agreement:
    """Version 1 from the program's defaults, starting today; runs inside the caller's (the proposal's) transaction.

    The members must already exist: topics are checked against them.
    """
    if await Agreement.exists(relationship_id=relationship.id):
        raise Conflict("This relationship already has an agreement.", field="relationship_id")
    member_ids = await RelationshipMember.filter(relationship_id=relationship.id).values_list("person_id", flat=True)
    if topics:
        t.check_topic_people(topics, member_ids=member_ids, kind=relationship.kind)
    skills = await _resolve_topic_skills(topics)
    starts_on = now.date()
    agreement = await Agreement.create(relationship_id=relationship.id, current_version=1)
    version = await AgreementVersion.create(
        agreement=agreement,
        number=1,
        cadence=program.cadence,
        meeting_minutes=program.meeting_minutes,
        starts_on=starts_on,
        ends_on=t.add_months(starts_on, program.duration_months),
        amended_by_id=created_by_id,
    )
    await _write_topics(version, topics, skills)
    return agreement


async def amend_agreement(
    viewer: Viewer,
    *,
    relationship_id: int,
    expected_version: int,
    changes: dict,
    now: datetime.datetime | None = None,
) -> Agreement:
    """A new version with the given terms changed and the rest copied; every member signs it again.

    `changes` holds only what the caller sent; a None term keeps the current one. `topics` is a list of
    TopicTerm, `goal_ids` a list of goal keys of this relationship; each replaces the whole list.
    """
    access = await relationship_access(relationship_id)
    person_id = access.require_member(viewer)
    _require_open(access.relationship)
    agreement = await _agreement_of(relationship_id)
    if expected_version != agreement.current_version:
        raise Conflict(
            f"The agreement is at version {agreement.current_version}; reload it and amend again.",
            field="expected_version",
        )
    current = await AgreementVersion.get(agreement_id=agreement.id, number=agreement.current_version)
    given = {key: value for key, value in changes.items() if value is not None}
    values = _merged_scalar_terms(current, given)
    if "topics" in given:
        topics = list(given["topics"])
        t.check_topic_people(topics, member_ids=access.member_ids, kind=access.relationship.kind)
        skills = await _resolve_topic_skills(topics)
        # Two names may be one skill (an alias): compare what is taught once the taxonomy has spoken.
        t.check_exchange(_directions(topics, skills), member_ids=access.member_ids, kind=access.relationship.kind)
    else:
        topics, skills = await _copied_topics(current), {}
        t.check_exchange(
            [t.direction_of(term) for term in topics], member_ids=access.member_ids, kind=access.relationship.kind
        )
    if "goal_ids" in given:
        goal_ids = await _valid_goal_ids(given["goal_ids"], relationship_id=relationship_id)
    else:
        goal_ids = await AgreementGoal.filter(version_id=current.id).values_list("goal_id", flat=True)
    change_note = t.valid_text(given.get("change_note", ""), field="change_note", max_length=t.MAX_CHANGE_NOTE_LENGTH)

    async with in_transaction():
        # The compare-and-set on the version number makes two concurrent amendments from the same version
        # produce one new version and one ConflictError, on every engine.
        bumped = await Agreement.filter(id=agreement.id, current_version=expected_version).update(
            current_version=expected_version + 1
        )
        if not bumped:
            raise Conflict("The agreement was amended meanwhile; reload it and amend again.", field="expected_version")
        version = await AgreementVersion.create(
            agreement_id=agreement.id,
            number=expected_version + 1,
            amended_by_id=person_id,
            change_note=change_note,
            **values,
        )
        await _write_topics(version, topics, skills)
        await AgreementGoal.bulk_create([AgreementGoal(version_id=version.id, goal_id=gid) for gid in goal_ids])
        await Relationship.filter(id=relationship_id).update(last_activity_at=now or utc_now())
    agreement.current_version = expected_version + 1
    return agreement


async def sign_agreement(
    viewer: Viewer, *, relationship_id: int, version: int, now: datetime.datetime | None = None
) -> SignOutcome:
    """The viewer signs the current version; the last member to sign a PROPOSED relationship's agreement
    makes it ACTIVE. Signing a version already signed changes nothing."""
    now = now or utc_now()
    access = await relationship_access(relationship_id)
    person_id = access.require_member(viewer)
    _require_open(access.relationship)
    async with in_transaction():
        # Locks serialise concurrent signers on PostgreSQL, so the last of them sees every signature and
        # activates; SQLite serialises writers by itself.
        agreement = await Agreement.select_for_update().get_or_none(relationship_id=relationship_id)
        if agreement is None:
            raise NotFound("This relationship has no agreement yet.", field="relationship_id")
        if version != agreement.current_version:
            raise Conflict(
                f"Version {version} is not the current one ({agreement.current_version}); read it and sign that.",
                field="version",
            )
        current = await AgreementVersion.get(agreement_id=agreement.id, number=version)
        directions = [
            t.Direction(teacher_id, learner_id, t.subject_key(skill_id=skill_id, topic=topic))
            for teacher_id, learner_id, skill_id, topic in await AgreementTopic.filter(
                version_id=current.id
            ).values_list("teacher_id", "learner_id", "skill_id", "topic")
        ]
        t.check_exchange(directions, member_ids=access.member_ids, kind=access.relationship.kind)
        # The directory may have changed since the proposal: every signature, the activating one included.
        await check_reporting_line_still_clear(access.member_ids)
        if await AgreementSignature.exists(version_id=current.id, person_id=person_id):
            return SignOutcome(agreement, relationship_activated=False)
        await AgreementSignature.create(version_id=current.id, person_id=person_id, signed_at=now)
        signed = set(await AgreementSignature.filter(version_id=current.id).values_list("person_id", flat=True))
        relationship = await Relationship.select_for_update().get(id=relationship_id)
        activated = access.member_ids <= signed and await activate_if_proposed(relationship.id, now=now)
        if not activated:
            relationship.last_activity_at = now
            await relationship.save(update_fields=["last_activity_at", "updated_at"])
    return SignOutcome(agreement, relationship_activated=activated)


def _require_open(relationship: Relationship) -> None:
    if relationship.status in CLOSED:
        raise Conflict(
            f"The relationship is {relationship.status.value}; its agreement is history now.", field="relationship_id"
        )


async def _agreement_of(relationship_id: int) -> Agreement:
    agreement = await Agreement.get_or_none(relationship_id=relationship_id)
    if agreement is None:
        raise NotFound("This relationship has no agreement yet.", field="relationship_id")
    return agreement


def _merged_scalar_terms(current: AgreementVersion, given: dict) -> dict:
    values = {name: getattr(current, name) for name in _SCALAR_TERMS}
    if "meeting_minutes" in given:
        values["meeting_minutes"] = t.valid_meeting_minutes(given["meeting_minutes"])
    if "cadence" in given:
        values["cadence"] = given["cadence"]
    for day in ("starts_on", "ends_on"):
        if day in given:
            values[day] = given[day]
    t.valid_period(values["starts_on"], values["ends_on"])
    if "confidentiality" in given:
        values["confidentiality"] = t.valid_text(
            given["confidentiality"], field="confidentiality", max_length=t.MAX_CONFIDENTIALITY_LENGTH
        )
    if "channels" in given:
        values["channels"] = t.valid_channels(given["channels"])
    if "meeting_formats" in given:
        values["meeting_formats"] = t.valid_meeting_formats(given["meeting_formats"])
    return values


async def _resolve_topic_skills(topics: Sequence[t.TopicTerm]) -> dict:
    named = [(index, term.skill) for index, term in enumerate(topics) if (term.skill or "").strip()]
    if not named:
        return {}
    try:
        return await resolve_skills([name for _, name in named], field="skill")
    except ValidationFailed as error:
        # resolve_skills numbers the names it was given; point at the topic that holds the unknown one.
        position = int((error.field or "skill[0]")[len("skill[") : -1])
        raise ValidationFailed(error.message, field=f"topics[{named[position][0]}].skill") from None


def _directions(topics: Sequence[t.TopicTerm], skills: dict) -> list[t.Direction]:
    directions = []
    for term in topics:
        skill = skills.get(term.skill) if term.skill else None
        skill_id = skill.id if skill else term.skill_id
        directions.append(
            t.Direction(term.teacher_id, term.learner_id, t.subject_key(skill_id=skill_id, topic=term.topic))
        )
    return directions


async def _copied_topics(version: AgreementVersion) -> list[t.TopicTerm]:
    rows = await AgreementTopic.filter(version_id=version.id)
    return [t.TopicTerm(row.teacher_id, row.learner_id, topic=row.topic, skill_id=row.skill_id) for row in rows]


async def _write_topics(version: AgreementVersion, topics: Sequence[t.TopicTerm], skills: dict) -> None:
    rows = []
    for term in topics:
        skill = skills.get(term.skill) if term.skill else None
        skill_id = skill.id if skill else term.skill_id
        topic = (term.topic or "").strip() or (skill.name if skill else "")
        rows.append(
            AgreementTopic(
                version_id=version.id,
                teacher_id=term.teacher_id,
                learner_id=term.learner_id,
                skill_id=skill_id,
                topic=topic,
            )
        )
    await AgreementTopic.bulk_create(rows)


async def _valid_goal_ids(goal_ids: Sequence[int], *, relationship_id: int) -> list[int]:
    wanted = list(dict.fromkeys(goal_ids))
    found = set(await Goal.filter(id__in=wanted, relationship_id=relationship_id).values_list("id", flat=True))
    for index, goal_id in enumerate(goal_ids):
        if goal_id not in found:
            raise ValidationFailed("Link goals of this relationship only.", field=f"goal_ids[{index}]")
    return wanted
