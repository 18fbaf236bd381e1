"""Benchmark the matching engine on a synthetic organisation: exact pairs with their certificate, and baselines.

Run: python bench/matching.py [--verify] [--anchor]. The pair rows share one seeded input (bench/orggen.py).
Each row prints the median wall time of 3 runs and their median CPU time (which a loaded machine does not
stretch), peak traced memory (numpy and Python allocations, one extra run under tracemalloc), total score,
% of the proven optimum and matched count. `--verify` adds the dense scipy linear_sum_assignment reference
(tens of seconds, gigabytes); `--anchor` adds networkx's max_weight_matching at 1,000 mentees (minutes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from orggen import OrgSpec, generate, pair_cohort

from domain.matching.assign import assign
from domain.matching.cohort import build_cohort
from domain.matching.profiles import Objective, Rules, Weights
from domain.matching.scoring import candidate_graph

RULES = Rules(max_time_zone_gap_hours=6)
WEIGHTS = Weights()


@dataclass(frozen=True)
class Timing:
    """Median wall seconds, and the median CPU seconds of this process over the same runs: on a shared
    machine the wall time stretches with the load while the CPU time stays what the work costs."""

    wall: float
    cpu: float


@dataclass
class Row:
    case: str
    seconds: Timing
    peak_mb: float | None  # None: not traced (the anchor runs once, for minutes)
    total: int
    matched: int
    target: str = ""
    note: str = ""


def measure(run: Callable[[], tuple[int, int, str]], repeats: int = 3) -> tuple[Timing, float, tuple[int, int, str]]:
    """(median wall and CPU seconds, traced peak MB, result of the last run)."""
    walls, cpus = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Timing(statistics.median(walls), statistics.median(cpus)), peak / 2**20, result


def greedy(
    mentor: np.ndarray, mentee: np.ndarray, score: np.ndarray, capacity: np.ndarray, n_mentees: int
) -> tuple[int, int]:
    """Highest score first, as commercial tools do: take a pair while both still have room."""
    left = capacity.copy()
    taken = np.zeros(n_mentees, dtype=bool)
    total = matched = 0
    most = min(int(capacity.sum()), n_mentees)
    for k in np.lexsort((mentee, mentor, -score)).tolist():
        m, e = mentor[k], mentee[k]
        if left[m] > 0 and not taken[e]:
            left[m] -= 1
            taken[e] = True
            total += int(score[k])
            matched += 1
            if matched == most:  # every place or every mentee is taken: no later pair can be
                break
    return total, matched


def dense_reference(mentor, mentee, score, capacity, n_mentees) -> tuple[int, int]:
    from scipy.optimize import linear_sum_assignment

    slots = np.repeat(np.arange(len(capacity)), capacity)
    dense = np.zeros((len(capacity), n_mentees), dtype=np.int32)
    dense[mentor, mentee] = score
    expanded = dense[slots]
    del dense
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    values = expanded[rows, cols]
    return int(values.sum()), int((values > 0).sum())


def networkx_anchor(mentor, mentee, score, capacity) -> tuple[int, int]:
    import networkx as nx

    graph = nx.Graph()
    for k in range(len(score)):
        for slot in range(int(capacity[mentor[k]])):
            graph.add_edge(("slot", int(mentor[k]), slot), ("mentee", int(mentee[k])), weight=int(score[k]))
    matching = nx.max_weight_matching(graph)
    return sum(graph.edges[a, b]["weight"] for a, b in matching), len(matching)


def pair_rows(mentors: int, mentees: int, *, verify: bool, gated: bool = True, label: str = "") -> list[Row]:
    org = generate(OrgSpec(people=mentors + mentees, seed=7))
    mentor_input, mentee_input, _, _ = pair_cohort(org, mentors=mentors, mentees=mentees)
    cohort = build_cohort(mentor_input, mentee_input)
    graph = candidate_graph(cohort, RULES, WEIGHTS, gated=gated)
    density = graph.size / (mentors * mentees)
    rows: list[Row] = []
    size = f"{mentees:,} x {mentors:,}{label}"

    def end_to_end() -> tuple[int, int, str]:
        c = build_cohort(mentor_input, mentee_input)
        g = candidate_graph(c, RULES, WEIGHTS, gated=gated)
        result = assign(g.mentor, g.mentee, g.score, c.capacity, len(c.mentees))
        return result.total_score, len(result.chosen), f"rounds {result.rounds}"

    solved = {}

    def solver(objective: Objective) -> Callable[[], tuple[int, int, str]]:
        def run() -> tuple[int, int, str]:
            result = assign(graph.mentor, graph.mentee, graph.score, cohort.capacity, len(cohort.mentees), objective)
            solved[objective] = result
            proof = "proven" if result.certificate.proves_optimal else "NOT PROVEN"
            return (
                result.total_score,
                len(result.chosen),
                f"{proof}, {result.rounds} rounds, {result.arcs_solved:,} arcs",
            )

        return run

    seconds, peak, (total, matched, note) = measure(solver(Objective.BEST_SCORE))
    optimum = total
    target = "<= 2 s" if gated else "<= 3 s"
    rows.append(
        Row(f"exact BEST_SCORE solver {size} ({density:.0%} dense)", seconds, peak, total, matched, target, note)
    )
    seconds, peak, (total, matched, note) = measure(solver(Objective.MOST_PARTICIPATION))
    rows.append(Row(f"exact MOST_PARTICIPATION solver {size}", seconds, peak, total, matched, "", note))
    seconds, peak, (total, matched, note) = measure(end_to_end)
    target = "<= 4 s, <= 400 MB" if gated else ""
    rows.append(Row(f"exact end to end (scoring + solve) {size}", seconds, peak, total, matched, target, note))
    args = (graph.mentor, graph.mentee, graph.score, cohort.capacity, len(cohort.mentees))
    seconds, peak, (total, matched, _) = measure(lambda: (*greedy(*args), ""))
    rows.append(Row(f"greedy highest-score-first {size}", seconds, peak, total, matched, "baseline"))
    if verify:
        seconds, peak, (total, matched, _) = measure(lambda: (*dense_reference(*args), ""), repeats=1)
        agrees = "equals the certificate's optimum" if total == optimum else f"DIFFERS from {optimum}"
        rows.append(Row(f"dense linear_sum_assignment {size}", seconds, peak, total, matched, "reference", agrees))
    for row in rows:
        row.note = f"{100 * row.total / optimum:.2f}% of optimum; {row.note}" if optimum else row.note
    return rows


def anchor_rows() -> list[Row]:
    org = generate(OrgSpec(people=1250, seed=7))
    mentor_input, mentee_input, _, _ = pair_cohort(org, mentors=250, mentees=1000)
    cohort = build_cohort(mentor_input, mentee_input)
    graph = candidate_graph(cohort, RULES, WEIGHTS)
    args = (graph.mentor, graph.mentee, graph.score, cohort.capacity)
    ours = assign(*args, len(cohort.mentees))
    started, started_cpu = time.perf_counter(), time.process_time()
    total, matched = networkx_anchor(*args)
    seconds = Timing(time.perf_counter() - started, time.process_time() - started_cpu)
    return [
        Row("networkx max_weight_matching 1,000 x 250", seconds, None, total, matched, "anchor",
            f"{100 * total / ours.total_score:.2f}% of optimum; exact solver {ours.solve_seconds:.3f} s, "
            f"{seconds.wall / ours.solve_seconds:,.0f}x slower"),
    ]  # fmt: skip


def circle_rows() -> list[Row]:
    from datetime import date

    from domain.matching.circles import Peer, plan_circles
    from domain.matching.working_week import local_hours, reference_week, week_mask

    org = generate(OrgSpec(people=5000, seed=7))
    monday = reference_week(date(2026, 3, 2))
    peers = [Peer(p.id, p.department, week_mask(p.time_zone, local_hours(p.hours), monday)) for p in org.people]
    plans = []
    seconds, peak, _ = measure(lambda: (plans.append(plan_circles(peers, 5)) or 0, 0, ""))
    plan = plans[-1]
    placed = sum(len(circle) for circle in plan.circles)
    return [
        Row("peer circles of 5, 5,000 peers", seconds, peak, round(plan.objective), placed, "<= 2 s, >= 98%",
            f"{100 * plan.ratio:.2f}% of the bound {plan.upper_bound:,.0f}; {len(plan.circles):,} circles"),
    ]  # fmt: skip


def swap_rows() -> list[Row]:
    from domain.matching.swaps import Swapper, plan_swaps, teaching_matrix

    rows = []
    dense_org = generate(OrgSpec(people=5000, seed=7))
    sparse_org = generate(OrgSpec(people=5000, skills=3000, zipf=0.2, seed=7))
    cases = [
        ("dense", [Swapper(p.id, frozenset(p.teaches), frozenset(p.learns)) for p in dense_org.people]),
        # One skill each way from a wide, flat taxonomy: interests rarely meet, cycles can be enumerated.
        ("sparse", [Swapper(p.id, frozenset(list(p.teaches)[:1]), frozenset(list(p.learns)[:1]))
                    for p in sparse_org.people]),
    ]  # fmt: skip
    for label, people in cases:
        started = time.perf_counter()
        edges = teaching_matrix(people).nnz
        build = time.perf_counter() - started
        plans = []
        seconds, peak, _ = measure(lambda people=people, plans=plans: (plans.append(plan_swaps(people)) or 0, 0, ""))
        plan = plans[-1]
        versus = f"{100 * plan.covered / plan.on_a_cycle:.2f}% of on-a-cycle {plan.on_a_cycle:,}"
        if plan.lp_bound is not None:
            versus += f", {100 * plan.covered / plan.lp_bound:.2f}% of LP bound {plan.lp_bound:,.1f}"
        target = ">= 99.5% on-a-cycle" if label == "dense" else ">= 95% of LP"
        rows.append(
            Row(f"skill swaps 5,000 people, {label} ({edges:,} edges)", seconds, peak, plan.covered, plan.covered,
                f"<= 3 s, {target}", f"{versus}; {plan.method}; graph build {build:.2f} s")
        )  # fmt: skip
    return rows


def audit_rows() -> list[Row]:
    import random

    from domain.matching.audit import Outcome, audit

    rng = random.Random(5)
    org = generate(OrgSpec(people=12_500, seed=7))
    outcomes = [
        Outcome(role="MENTEE" if k % 5 else "MENTOR", groups=p.demographics, matched=rng.random() < 0.6,
                score=rng.randint(300, 900), cross_department=rng.random() < 0.7, seniority_gap=rng.randint(0, 4))
        for k, p in enumerate(org.people)
    ]  # fmt: skip
    reports = []
    seconds, peak, _ = measure(lambda: (reports.append(audit(outcomes)) or 0, 0, ""))
    report = reports[-1]
    return [
        Row("bias audit, 12,500 participants", seconds, peak, 0, len(outcomes), "<= 50 ms",
            f"{len(report.groups)} groups shown, {len(report.flagged)} flagged below four-fifths"),
    ]  # fmt: skip


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'case':<64} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'total score':>12} {'matched':>8}  "
        f"{'target':<18} note"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.case:<64} {row.seconds.wall:>8.3f} {row.seconds.cpu:>8.3f} "
            f"{'-' if row.peak_mb is None else f'{row.peak_mb:.1f}':>8} {row.total:>12,} {row.matched:>8,}  "
            f"{row.target:<18} {row.note}"
        )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        "seconds: median wall time of 3 runs (one run for the dense reference and the networkx anchor); "
        f"cpu s: this process's CPU time over the same runs; load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="add the dense linear_sum_assignment reference")
    parser.add_argument("--anchor", action="store_true", help="add networkx max_weight_matching at 1,000 mentees")
    options = parser.parse_args()
    rows = pair_rows(2500, 10_000, verify=options.verify)
    rows += pair_rows(250, 1000, verify=options.verify)
    rows += pair_rows(2500, 10_000, verify=False, gated=False, label=" ungated")
    rows += circle_rows() + swap_rows() + audit_rows()
    if options.anchor:
        rows += anchor_rows()
    print_table(rows)


if __name__ == "__main__":
    main()
