"""Which directory attribute gives a person's level, and which department values are departments; pure.

A JSON file (`mentorgraph sync-directory --mapping FILE`, or MENTORGRAPH_DIRECTORY_MAPPING):

    {
      "level": {"attribute": "employeeType", "values": {"Associate": 3, "Senior": 6, "Principal": 9}},
      "departments": {"values": {"ENG": "Engineering", "Eng (UK)": "Engineering"}, "others": "ignore"}
    }

`level.attribute` names a user attribute as the provider spells it: a Graph property (`employeeType`,
`extension_<app>_level`, `onPremisesExtensionAttributes.extensionAttribute1`) or a Workspace custom schema
field (`customSchemas.HR.level`). Without `values` the attribute holds the level as a number (1-20); with
them, a value not listed leaves the level unchanged and is reported. Without `level` no level is synced.
`departments.values` renames directory departments; `others` says what an unlisted value is: "keep" (the
default: it is a department as written) or "ignore" (not a department, e.g. 'Contractors': left unchanged).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from domain.errors import ValidationFailed
from domain.people.import_cells import parse_level
from domain.people.validation import MAX_LEVEL


@dataclass(frozen=True)
class DirectoryMapping:
    level_attribute: str | None = None
    level_values: dict[str, int] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    keep_other_departments: bool = True

    def level_of(self, raw: str | None) -> int | None:
        """The level a raw attribute value stands for; None when the record says nothing. ValidationFailed
        (field `level`) when the value is not one the mapping knows."""
        if self.level_attribute is None or raw is None or not str(raw).strip():
            return None
        text = str(raw).strip()
        if self.level_values:
            if text not in self.level_values:
                raise ValidationFailed(
                    f"{self.level_attribute} is {text!r}, which the mapping's level values do not list.",
                    field="level",
                )
            return self.level_values[text]
        return parse_level(text)

    def department_of(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        value = raw.strip()
        if value in self.departments:
            return self.departments[value]
        return value if self.keep_other_departments else None


def _fail(message: str, key: str) -> ValidationFailed:
    return ValidationFailed(message, field=f"mapping.{key}")


def read_mapping(text: str) -> DirectoryMapping:
    """The mapping file's JSON; every mistake names the key that is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _fail(f"The mapping is not JSON: {error.msg} (line {error.lineno}).", "file") from None
    if not isinstance(data, dict):
        raise _fail("The mapping is a JSON object with 'level' and/or 'departments'.", "file")
    unknown = sorted(set(data) - {"level", "departments"})
    if unknown:
        raise _fail(f"Unknown key {unknown[0]!r}: the mapping has 'level' and 'departments'.", unknown[0])
    level, departments = data.get("level") or {}, data.get("departments") or {}
    if not isinstance(level, dict) or not isinstance(departments, dict):
        raise _fail(
            "'level' and 'departments' are JSON objects.", "level" if not isinstance(level, dict) else "departments"
        )
    attribute = level.get("attribute")
    if level and (not isinstance(attribute, str) or not attribute.strip()):
        raise _fail("Name the directory attribute that holds the level.", "level.attribute")
    values = level.get("values") or {}
    if not isinstance(values, dict):
        raise _fail("Level values map a directory value to a level.", "level.values")
    for value, number in values.items():
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_LEVEL:
            raise _fail(f"{value!r} maps to {number!r}; a level is a whole number 1-{MAX_LEVEL}.", "level.values")
    renames = departments.get("values") or {}
    if not isinstance(renames, dict) or not all(isinstance(v, str) and v.strip() for v in renames.values()):
        raise _fail("Department values map a directory value to a department name.", "departments.values")
    others = departments.get("others", "keep")
    if others not in ("keep", "ignore"):
        raise _fail(f"{others!r}: 'others' is 'keep' or 'ignore'.", "departments.others")
    return DirectoryMapping(
        level_attribute=attribute.strip() if attribute else None,
        level_values={str(k).strip(): v for k, v in values.items()},
        departments={str(k).strip(): v.strip() for k, v in renames.items()},
        keep_other_departments=others == "keep",
    )
