"""The import's second pass over reporting lines, on plain data."""

from __future__ import annotations

from domain.people.import_managers import ManagerClaim, reporting_line_errors


def claim(row: int, email: str, manager: str | None) -> ManagerClaim:
    return ManagerClaim(row=row, email=email, manager_email=manager)


def test_managers_may_be_later_in_the_file_or_already_known():
    errors = reporting_line_errors(
        current={"vp": None},
        claims=[claim(2, "a", "b"), claim(3, "b", "vp"), claim(4, "c", None)],
    )
    assert errors == {}


def test_a_manager_nobody_knows_is_an_error_even_on_a_row_already_rejected():
    errors = reporting_line_errors(current={}, claims=[claim(2, "a", "ghost"), claim(3, "b", "ghost")], rejected=[3])
    assert errors == {
        2: "No one with the email ghost is in this file or in Mentorgraph.",
        3: "No one with the email ghost is in this file or in Mentorgraph.",
    }


def test_every_row_on_a_loop_is_rejected_and_the_rest_stand():
    errors = reporting_line_errors(
        current={},
        claims=[claim(2, "a", "b"), claim(3, "b", "c"), claim(4, "c", "a"), claim(5, "d", "e"), claim(6, "e", None)],
    )
    assert errors == {
        2: "Reporting lines would loop: a → b → c → a.",
        3: "Reporting lines would loop: b → c → a → b.",
        4: "Reporting lines would loop: c → a → b → c.",
    }


def test_rejection_spreads_down_to_everyone_below_a_rejected_newcomer():
    errors = reporting_line_errors(
        current={"known": None},
        claims=[claim(2, "new", None), claim(3, "lead", "new"), claim(4, "junior", "lead"), claim(5, "x", "known")],
        rejected=[2],
    )
    assert errors == {
        3: "The manager new (row 2) was rejected, so they would not exist.",
        4: "The manager lead (row 3) was rejected, so they would not exist.",
    }


def test_a_rejected_row_for_someone_known_keeps_them_and_does_not_spread():
    errors = reporting_line_errors(
        current={"lead": None}, claims=[claim(2, "lead", None), claim(3, "a", "lead")], rejected=[2]
    )
    assert errors == {}


def test_a_rejected_row_that_would_have_broken_a_loop_leaves_the_loop_closed():
    # Today a reports to b. Row 2 would move a under c but is rejected, so row 3 putting b under a closes a loop.
    errors = reporting_line_errors(
        current={"a": "b", "b": None, "c": None},
        claims=[claim(2, "a", "c"), claim(3, "b", "a")],
        rejected=[2],
    )
    assert errors == {3: "Reporting lines would loop: b → a → b."}


def test_a_loop_is_checked_against_the_reporting_lines_the_import_leaves():
    # Today b reports to a; the file moves b under c, so a moving under b no longer loops.
    errors = reporting_line_errors(
        current={"a": None, "b": "a", "c": None},
        claims=[claim(2, "b", "c"), claim(3, "a", "b")],
    )
    assert errors == {}


def test_managing_yourself_is_refused():
    assert reporting_line_errors(current={"a": None}, claims=[claim(2, "a", "a")]) == {
        2: "A person cannot be their own manager."
    }
