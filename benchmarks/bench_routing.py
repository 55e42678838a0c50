"""Benchmark: next question on a generated 300-question form with realistic relevance.

Run: python benchmarks/bench_routing.py
Target: under 1 ms for next_question half-way through the interview.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from questionnaires.engine import (  # noqa: E402
    Choice,
    Definition,
    Item,
    Settings,
    next_question,
    route,
)

N_QUESTIONS = 300


def generated_form(rng: random.Random) -> Definition:
    """Sections of 20 questions in groups, each gated on a screener; items refer back."""
    yes_no = [Choice("1", {"": "Yes"}), Choice("2", {"": "No"})]
    scale = [Choice(str(i), {"": f"Point {i}"}) for i in range(1, 6)]
    multi = [Choice(f"c{i}", {"": f"Choice {i}"}) for i in range(1, 9)]
    items: list[Item] = [Item("select_one", "screener", label={"": "Eligible?"},
                              list_name="yes_no")]
    names: list[tuple[str, str]] = [("screener", "select_one")]
    for section in range((N_QUESTIONS - 1) // 20 + 1):
        children = []
        for k in range(20 if section < (N_QUESTIONS - 1) // 20 else (N_QUESTIONS - 1) % 20):
            name = f"s{section}_q{k}"
            kind = rng.choice(["select_one yes_no", "select_one scale", "integer",
                               "select_multiple multi"])
            type_, _, list_name = kind.partition(" ")
            relevant = ""
            if names and rng.random() < 0.6:
                ref, ref_type = rng.choice(names[-30:])
                relevant = {
                    "select_one": f"${{{ref}}} = 1 or ${{{ref}}} = 2",
                    "integer": f"${{{ref}}} > 0 and ${{{ref}}} < 500",
                    "select_multiple": f"selected(${{{ref}}}, 'c1') or "
                                       f"count-selected(${{{ref}}}) > 2",
                }[ref_type]
            children.append(Item(type_, name, label={"": f"Question {name}?"},
                                 list_name=list_name, relevant=relevant,
                                 constraint=". >= 0 and . <= 999" if type_ == "integer"
                                 else "", dont_know=-8, refused=-9))
            names.append((name, type_))
        items.append(Item("group", f"section{section}", label={"": f"Section {section}"},
                          relevant=f"${{screener}} != 2 or {section} < 3", children=children))
        items.append(Item("calculate", f"score{section}",
                          calculate=f"if(${{s{section}_q0}} = 1, 1, 0) + "
                                    f"if(${{s{section}_q1}} > 2, 1, 0)"))
    return Definition(Settings(form_id="bench"), items,
                      {"yes_no": yes_no, "scale": scale, "multi": multi})


def answer_for(item: Item, rng: random.Random) -> object:
    if item.type == "integer":
        return rng.randint(0, 600)
    if item.type == "select_one":
        return rng.choice(["1", "2"] if item.list_name == "yes_no" else ["1", "2", "3", "4"])
    return rng.sample([f"c{i}" for i in range(1, 9)], rng.randint(1, 4))


def answers_until(definition: Definition, fraction: float, rng: random.Random) -> dict:
    answers: dict[str, object] = {}
    target = int(len(definition.questions()) * fraction)
    while len(answers) < target:
        prompt = next_question(definition, answers)
        if prompt is None:
            break
        answers[prompt.path] = answer_for(definition.by_name[prompt.name], rng)
    return answers


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000


def main() -> None:
    rng = random.Random(20250301)
    definition = generated_form(rng)
    print(f"form: {len(definition.questions())} questions, "
          f"{sum(1 for i in definition.iter_items() if i.relevant)} relevance expressions")
    for fraction in (0.0, 0.5, 0.95):
        answers = answers_until(definition, fraction, rng)
        median, p95 = timed(lambda a=answers: next_question(definition, a, pruned=True), 200)
        e_median, e_p95 = timed(lambda a=answers: next_question(definition, a), 200)
        r_median, r_p95 = timed(lambda a=answers: route(definition, a), 50)
        print(f"{len(answers):4d} answers: next_question median {median:.3f} ms "
              f"(p95 {p95:.3f}); unpruned check {e_median:.3f} ms (p95 {e_p95:.3f}); "
              f"full route {r_median:.3f} ms (p95 {r_p95:.3f})")
    print("target: next_question under 1 ms (as the Session calls it, pruned=True)")


if __name__ == "__main__":
    main()
