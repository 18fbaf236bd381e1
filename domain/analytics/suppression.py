"""The one rule for showing numbers about people: no group smaller than five, directly or by subtraction.

Every breakdown of people into groups (programInsights, the equity report, the matching run's bias audit)
goes through `suppressed_groups`:

- A group of 1 to 4 people is suppressed (primary suppression).
- The people in no shown group can be counted by subtraction, since a breakdown's total is public: the
  hidden groups together with those who gave no answer (`unreported`) must be none or at least five, so
  the smallest shown groups are suppressed too until they are (complementary suppression).
- When the groups are self-reported (`private_membership`), a shown group that holds everyone would tell
  each person's answer, so it is suppressed as well.
- Differencing across periods: figures are built from month blocks, and a period is answered only when
  every month in it holds no one or at least five people. Any two answers then differ by whole blocks of
  five or more, so subtracting one overlapping period from another never isolates a person.
  `suppressed_by_blocks` applies this per group: the people whose place in a figure changed in one block
  of time (they arrived, left, enrolled, met...) form a block, and each block is a breakdown of its own;
  a block of 1 to 4 people withholds the figure from every group. The blocks are calendar quarters for the
  breakdowns, the equity report, retention, mentor-hours totals and the mentoring network (quarterly.py,
  network.py), the relationship figures (quarterly.py, whose blocks are relationships), and months for survey
  answers, which are kept by month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def is_small(count: int) -> bool:
    """1 to 4: too few to show; zero reveals nobody."""
    return 0 < count < MIN_GROUP


def suppressed_groups(sizes: Mapping[K, int], *, unreported: int = 0, private_membership: bool = True) -> set[K]:
    """The groups of one breakdown to hide, primary and complementary.

    `unreported` counts the people of the breakdown's population who are in none of its groups (they gave no
    answer); they are never shown, so they count as hidden. `private_membership` is False for groups everyone
    may know a person's place in (department, level, taking part), where a group of everyone reveals nothing."""
    hidden = {key for key, size in sizes.items() if is_small(size)}
    hidden_total = unreported + sum(sizes[key] for key in hidden)
    # Smallest first, ties by name, so the same data always hides the same groups.
    shown = sorted((key for key, size in sizes.items() if key not in hidden and size), key=lambda k: (sizes[k], str(k)))
    while shown and is_small(hidden_total):
        key = shown.pop(0)
        hidden.add(key)
        hidden_total += sizes[key]
    if private_membership and hidden_total == 0 and len(shown) == 1:
        hidden.add(shown.pop())
    return hidden


def suppressed_by_blocks(
    group_of: Mapping[int, K | None],
    changes: Mapping[int, Iterable[Hashable]] | None = None,
    *,
    private_membership: bool = True,
) -> set[K]:
    """The groups to hide of a figure counting `group_of`'s people (None: they gave no answer).

    `changes[person]` names the blocks (such as a kind of change and its month) in which that person entered or
    left the figure during the period; a group is hidden where the whole breakdown, or any block's, hides it."""
    sizes: Counter[K] = Counter()
    block_sizes: dict[Hashable, Counter[K]] = defaultdict(Counter)
    unreported: Counter[Hashable] = Counter()
    for person, group in group_of.items():
        for block in (None, *((changes or {}).get(person, ()))):
            if group is None:
                unreported[block] += 1
            elif block is None:
                sizes[group] += 1
            else:
                block_sizes[block][group] += 1
    hidden = suppressed_groups(sizes, unreported=unreported[None], private_membership=private_membership)
    for block in set(block_sizes) | (set(unreported) - {None}):
        if is_small(sum(block_sizes[block].values()) + unreported[block]):
            # 1 to 4 changes: every shown group's figure would pin them down (a group unchanged says they
            # are not in it), so the whole figure is withheld.
            return set(sizes)
        # A block is a change, not a population: a group holding all of one block's arrivals tells no answer.
        hidden |= suppressed_groups(block_sizes[block], unreported=unreported[block], private_membership=False)
    return hidden


def blocks_are_safe(block_sizes: Iterable[int]) -> bool:
    """Whether every block (a month of a period) holds no one or at least five: the differencing defence."""
    return not any(is_small(size) for size in block_sizes)


def changes_are_safe(changes: Mapping[Hashable, Iterable[Hashable]]) -> bool:
    """Whether every block holds none or five or more of the items (relationships) `changes` places in it."""
    return blocks_are_safe(Counter(block for blocks in changes.values() for block in blocks).values())
