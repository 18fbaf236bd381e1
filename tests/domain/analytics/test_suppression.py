"""The suppression rule: under five hidden, complements hidden, differencing across periods refused."""

from __future__ import annotations

from domain.analytics.suppression import blocks_are_safe, is_small, suppressed_groups


def test_four_is_suppressed_and_five_is_shown():
    assert is_small(4) and not is_small(5)
    assert suppressed_groups({"Engineering": 5, "Sales": 5}) == set()
    assert suppressed_groups({"Engineering": 9, "Sales": 4, "Legal": 6}) >= {"Sales"}


def test_a_lone_small_group_takes_the_smallest_shown_group_with_it_so_the_total_cannot_reveal_it():
    assert suppressed_groups({"Engineering": 20, "Sales": 2, "Legal": 6}) == {"Sales", "Legal"}


def test_small_groups_that_together_reach_five_need_no_complement():
    assert suppressed_groups({"Engineering": 20, "Sales": 2, "Legal": 3}) == {"Sales", "Legal"}
    assert suppressed_groups({"Engineering": 20, "Sales": 2, "Legal": 3, "Ops": 7}) == {"Sales", "Legal"}


def test_empty_groups_reveal_nobody_and_are_never_suppressed():
    assert suppressed_groups({"Engineering": 8, "Sales": 0, "Legal": 5}) == set()


def test_people_who_gave_no_answer_count_among_the_hidden():
    # 2 unreported and no small group: the total minus the shown groups would give the 2 away
    assert suppressed_groups({"WOMAN": 5, "MAN": 6}, unreported=2) == {"WOMAN"}
    # 3 unreported hide a group of 2 among 5
    assert suppressed_groups({"WOMAN": 5, "MAN": 6, "NON_BINARY": 2}, unreported=3) == {"NON_BINARY"}


def test_a_self_reported_group_of_everyone_is_suppressed_and_a_department_of_everyone_is_not():
    # everyone said Gen Z: showing it would tell each person's answer
    assert suppressed_groups({"GEN_Z": 6, "GEN_X": 0}) == {"GEN_Z"}
    assert suppressed_groups({"GEN_Z": 6}, unreported=5) == set()
    assert suppressed_groups({"Engineering": 8, "Sales": 0}, private_membership=False) == set()


def test_a_period_is_answered_only_when_each_month_has_none_or_five():
    assert blocks_are_safe([5, 0, 7])
    assert not blocks_are_safe([5, 1])


def test_equal_groups_are_taken_by_name_so_the_same_data_hides_the_same_groups():
    assert suppressed_groups({"MILLENNIAL": 5, "GEN_Z": 5, "GEN_X": 1}) == {"GEN_X", "GEN_Z"}
