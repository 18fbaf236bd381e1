"""Every top-level error carries extensions.code, so clients branch on codes, not on wording."""

from __future__ import annotations

import pytest

from tests.factories import make_person


@pytest.fixture
async def ana(db):
    return await make_person(email="ana@example.com", name="Ana Lima")


@pytest.mark.parametrize(
    ("document", "variables", "code"),
    [
        ("{ me { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ me { name }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query A { me { name } } query B { me { name } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($n: Int) { people(first: $n) { totalCount } }", {"n": "many"}, "BAD_USER_INPUT"),
        ("query ($id: ID!) { person(id: $id) { name } }", {}, "BAD_USER_INPUT"),
        ("{ people(first: 101) { totalCount } }", {}, "BAD_USER_INPUT"),
    ],
    ids=["unknown-field", "syntax", "two-operations", "variable-type", "missing-variable", "page-size"],
)
async def test_a_top_level_error_carries_its_code(gql, ana, document, variables, code):
    errors = await gql.errors(document, variables, as_=ana)

    assert [error["extensions"]["code"] for error in errors] == [code]


async def test_a_page_size_out_of_range_names_first(gql, ana):
    [error] = await gql.errors("{ people(first: -1) { totalCount } }", as_=ana)

    assert "`first`" in error["message"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_a_bad_variable_value_is_quoted_briefly(gql, ana):
    [error] = await gql.errors("query ($n: Int) { people(first: $n) { totalCount } }", {"n": "9" * 5_000}, as_=ana)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(error["message"]) < 200
