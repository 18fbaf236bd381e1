"""Benchmark the people import on a synthetic HRIS export: a first import, a re-import, and a reorganisation.

Run: python bench/people_import.py [ROWS] [DATABASE_URL]. ROWS defaults to 5000; the database defaults to a
new SQLite file (a PostgreSQL URL must name an empty database; the benchmark migrates it). Prints one row per
case: wall time, time per row, the target and pass/fail, and a ratio against the same case at a tenth of the
rows imported in this process first, so the ratio shows how the cost grows (10 is linear). Then the worst
/healthz latency of a real `serve` while it imports 20,000 rows (bench/people_import_healthz.py).
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.database import migrations
from api.database.connection import close_database, open_database
from bench.people_import_healthz import healthz_during_imports
from domain.people.importer import import_people_csv
from domain.people.models import Person, WorkingHours
from domain.skills.models import PersonSkill, Skill, SkillAlias
from domain.skills.taxonomy import slugify

# A whole-file import of an organisation this size should finish well inside an HTTP request's patience.
TARGET_SECONDS = 20.0
# The /healthz table (bench/people_import_healthz.py) always imports this many rows.
HEALTHZ_ROWS = 20_000
SKILLS = ["Python", "SQL", "Public speaking", "Stakeholder management", "Design", "Kubernetes", "Negotiation"]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo", "America/Sao_Paulo"]
HOURS = ["Mon-Fri 09:00-17:00", "Mon-Thu 08:00-16:00; Fri 08:00-12:00", "Mon 09:00-12:00; Mon 13:00-17:30"]
HEADER = "email,name,department,title,level,manager_email,time_zone,working_hours,teach_skills,learn_skills,languages"


def organisation_csv(rows: int, *, prefix: str, seed: int, reorganised: bool = False) -> str:
    """`rows` people in a reporting tree (everyone after the first reports to someone listed before them)."""
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(rows):
        manager = (
            "" if n == 0 else f"{prefix}{rng.randrange(max(1, n // 4)) if not reorganised else n - 1}@acme.example"
        )
        teach, learn = rng.sample(SKILLS, 2), rng.sample(SKILLS, 1)
        cells = [
            f"{prefix}{n}@acme.example",
            f"Person {prefix}{n}",
            rng.choice(["Engineering", "Data", "Sales", "People"]),
            "Engineer",
            str(rng.randint(1, 9)),
            manager,
            rng.choice(ZONES),
            f'"{rng.choice(HOURS)}"',
            f'"{teach[0]}:{rng.randint(1, 5)}; {teach[1]}:{rng.randint(1, 5)}"',
            f"{learn[0]}:{rng.randint(1, 5)}",
            '"en; pt-BR"',
        ]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


async def timed(action: Callable[[], Awaitable[object]]) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = await action()
    return time.perf_counter() - started, outcome


async def wipe() -> None:
    for model in (PersonSkill, WorkingHours):
        await model.all().delete()
    await Person.all().update(manager_id=None)
    await Person.all().delete()


async def cases(rows: int, prefix: str) -> dict[str, tuple[float, str]]:
    first = organisation_csv(rows, prefix=prefix, seed=1)
    moved = organisation_csv(rows, prefix=prefix, seed=2, reorganised=True)
    results = {}
    for name, text in (("first import", first), ("same file again", first), ("reorganisation", moved)):
        seconds, report = await timed(lambda text=text: import_people_csv(text))
        assert not report.errors, report.errors[:3]
        results[name] = (seconds, report.summary())
    return results


async def create_skills() -> None:
    for name in SKILLS:
        skill = await Skill.create(name=name, slug=slugify(name))
        await SkillAlias.create(skill=skill, slug=slugify(name) + "-skill")


async def with_skills(database_url: str) -> None:
    await open_database(database_url)
    try:
        await create_skills()
    finally:
        await close_database()


async def main(rows: int, database_url: str) -> int:
    migrations.upgrade(database_url)
    await open_database(database_url)
    try:
        await create_skills()
        baseline = await cases(max(1, rows // 10), prefix="b")
        await wipe()
        measured = await cases(rows, prefix="p")
    finally:
        await close_database()
    print(f"people import, {rows} rows ({database_url.split(':', 1)[0]}); baseline: the same at {max(1, rows // 10)}")
    print(f"{'case':<18}{'seconds':>9}{'ms/row':>9}{'target':>8}{'ok':>5}{'ratio':>7}  report")
    failed = False
    for name, (seconds, summary) in measured.items():
        ok = seconds <= TARGET_SECONDS
        failed |= not ok
        ratio = seconds / baseline[name][0]
        print(
            f"{name:<18}{seconds:>9.2f}{1000 * seconds / rows:>9.2f}{TARGET_SECONDS:>8.0f}{'yes' if ok else 'NO':>5}"
            f"{ratio:>7.1f}  {summary}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    failed = asyncio.run(main(count, url))
    responsive = healthz_during_imports(
        organisation_csv(HEALTHZ_ROWS, prefix="h", seed=3), HEALTHZ_ROWS, prepare=with_skills
    )
    sys.exit(1 if failed or not responsive else 0)
