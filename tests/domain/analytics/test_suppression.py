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
    assert suppressed_groups({"Engineering": 8, "Sales": 0}) == set()


def test_a_period_is_answered_only_when_each_month_has_none_or_five():
    assert blocks_are_safe([5, 0, 7])
    assert not blocks_are_safe([5, 1])


def test_equal_groups_are_taken_by_name_so_the_same_data_hides_the_same_groups():
    assert suppressed_groups({"MILLENNIAL": 5, "GEN_Z": 5, "GEN_X": 1}) == {"GEN_X", "GEN_Z"}
