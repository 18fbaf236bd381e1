"""The bias audit: groups under 5, or that a total would reveal by subtraction, are suppressed; four-fifths flags."""

from __future__ import annotations

from domain.matching.audit import Outcome, audit


def people(group: str, count: int, matched: int, *, role: str = "MENTEE", dimension: str = "gender") -> list[Outcome]:
    return [
        Outcome(role=role, groups={dimension: group}, matched=k < matched, score=700 if k < matched else None)
        for k in range(count)
    ]


def shown(report) -> dict[str, float]:
    return {row.group: row.match_rate for row in report.groups if row.dimension == "gender"}


def test_a_group_of_4_is_suppressed_and_a_group_of_5_is_shown():
    # given groups of 5, 4 and 6 mentees, and a self-described 1
    outcomes = people("WOMAN", 5, 5) + people("NON_BINARY", 4, 2) + people("MAN", 6, 6)
    report = audit([*outcomes, *people("SELF_DESCRIBED", 1, 1)])
    # then the 4 (and the 1) appear nowhere, the 5 and the 6 do: the hidden 5 cannot be told apart
    assert set(shown(report)) == {"WOMAN", "MAN"}
    (summary,) = [s for s in report.dimensions if s.dimension == "gender"]
    assert (summary.reported_groups, summary.suppressed_groups) == (2, 2)


def test_a_lone_small_group_takes_the_smallest_shown_group_with_it():
    # given 5, 4 and 6: 15 - 5 - 6 would give the 4's match count away, so the 5 is hidden with them
    report = audit(people("WOMAN", 5, 5) + people("NON_BINARY", 4, 2) + people("MAN", 6, 6))
    assert set(shown(report)) == {"MAN"}


def test_a_group_whose_complement_is_4_is_suppressed_too():
    # given 9 women and 4 men: showing the women beside the cohort's totals would reveal the men
    report = audit(people("WOMAN", 9, 5) + people("MAN", 4, 4))
    assert shown(report) == {}
    # and with 5 men both are shown
    assert set(shown(audit(people("WOMAN", 9, 5) + people("MAN", 5, 5)))) == {"WOMAN", "MAN"}


def test_people_who_did_not_answer_count_in_the_complement_but_form_no_group():
    unanswered = [Outcome(role="MENTEE", groups={"gender": None}, matched=True) for _ in range(5)]
    report = audit(people("WOMAN", 5, 5) + unanswered)
    assert shown(report) == {"WOMAN": 1.0}


def test_the_four_fifths_rule_flags_a_ratio_below_0_8_and_not_at_it():
    # given a best-off group matched 5 of 5 and others matched 4 of 5 (ratio 0.8) and 3 of 5 (0.6)
    report = audit(people("A", 5, 5) + people("B", 5, 4) + people("C", 5, 3))
    flags = {row.group: (row.impact_ratio, row.flagged) for row in report.groups}
    assert flags == {"A": (1.0, False), "B": (0.8, False), "C": (0.6, True)}


def test_aggregates_are_per_group_and_role_never_per_person():
    young = [
        Outcome(
            role="MENTEE",
            groups={"age_band": "UNDER_25"},
            matched=True,
            score=600 + k,
            cross_department=k % 2 == 0,
            seniority_gap=2,
        )
        for k in range(5)
    ]
    others = people("FROM_35_TO_44", 5, 0, dimension="age_band")
    mentors = people("UNDER_25", 5, 5, role="MENTOR", dimension="age_band")
    outcomes = young + others + mentors
    report = audit(outcomes)
    (row,) = [r for r in report.groups if r.role == "MENTEE" and r.group == "UNDER_25"]
    assert (row.size, row.mean_score, row.cross_department_share, row.mean_seniority_gap) == (5, 602.0, 0.6, 2.0)
    assert not any(r.role == "MENTOR" for r in report.groups)  # 5 mentors, complement 0: suppressed
