"""The figures of a SYNTHETIC report: consistent arithmetic in each table, and across years.

:func:`make_report` invents one report; a :class:`History` carries what one agency's report
hands to its next (requests carried forward, documents in force, items published), so the
cross-year checks hold as well.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from govdisclose.synth.report import Key, SynthReport
from govdisclose.template.arithmetic import applicant_parts, outcome_rows, outcome_total_item, review_blocks
from govdisclose.template.catalogue import TEMPLATES, requests_rows, template_cells

__all__ = ["History", "make_report"]


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """``total`` shared out over the weights, with some noise; sums exactly to ``total``."""
    noisy = [w * rng.uniform(0.3, 1.7) for w in weights]
    scale = sum(noisy)
    parts = [int(total * w / scale) for w in noisy]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda k: -noisy[k])
    for k in range(rest):
        parts[order[k % len(order)]] += 1
    return parts


_LEAF_WEIGHTS = {
    "granted": 0.35, "partially_granted": 0.08, "denied.state_secret": 0.005, "denied.prohibited_by_law": 0.008,
    "denied.security_stability": 0.004, "denied.third_party_rights": 0.01, "denied.internal_affairs": 0.02,
    "denied.process_information": 0.02, "denied.enforcement_case_file": 0.006, "denied.administrative_query": 0.01,
    "unable.not_held": 0.25, "unable.needs_creation": 0.03, "unable.unclear_after_correction": 0.03,
    "not_processed.petition_complaint": 0.03, "not_processed.duplicate": 0.03, "not_processed.publication": 0.006,
    "not_processed.excessive_repeated": 0.006, "not_processed.reconfirmation": 0.008, "other_handling": 0.085,
    "other_handling.no_correction": 0.03, "other_handling.unpaid_fee": 0.005, "other_handling.other": 0.05,
}
# (chance of any request, typical size) per applicant column except total
_APPLICANT_SIZE = {
    "natural_person": (0.97, 40.0), "commercial_enterprise": (0.35, 4.0), "research_institution": (0.05, 1.5),
    "social_welfare_org": (0.05, 1.5), "legal_service_org": (0.15, 3.0), "other_org": (0.10, 2.0),
}


@dataclass
class History:
    """What one agency's previous report carries into the next."""

    carried_forward: dict[str, int] = field(default_factory=dict)
    in_force: dict[str, int] = field(default_factory=dict)
    published: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)


def make_report(agency: str, year: int, *, seed: int | random.Random = 0, template: str | None = None,
                history: History | None = None) -> SynthReport:
    """Invent one report with consistent arithmetic (template from the year unless given).

    >>> r = make_report("示例东山县交通运输局", 2023, seed=3)
    >>> r.template, len(r.printed), r.agency, r.year
    ('2021', 200, '示例东山县交通运输局', 2023)
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    template = template or ("2019" if year <= 2020 else "2021")
    if template not in TEMPLATES:
        raise ValueError(f"template must be '2019' or '2021', not {template!r}")
    history = history if history is not None else History()
    values: dict[Key, str] = {}
    _active(values, template, rng, history)
    _requests(values, template, rng, history)
    _review(values, rng)
    printed = tuple(values[key] for key in template_cells(template))
    return SynthReport(agency, year, template, printed)


def _count(rng: random.Random, chance: float, size: float, most: int = 100000) -> int:
    if rng.random() >= chance:
        return 0
    return min(most, max(1, int(rng.lognormvariate(0, 1.0) * size)))


def _active(values: dict[Key, str], template: str, rng: random.Random, history: History) -> None:
    put = lambda item, text: values.__setitem__(("active_disclosure", item, None), text)  # noqa: E731
    if template == "2021":
        for group, (issued_size, stock) in {"regulations": (0.6, 8), "normative_documents": (12.0, 150)}.items():
            before = history.in_force.get(group, int(rng.uniform(0.2, 2.0) * stock))
            issued = _count(rng, 0.5 if group == "regulations" else 0.9, issued_size, 500)
            repealed = min(before, _count(rng, 0.3 if group == "regulations" else 0.7, issued_size / 2, 500))
            now = before + issued - repealed
            history.in_force[group] = now
            put(f"{group}.issued", str(issued))
            put(f"{group}.repealed", str(repealed))
            put(f"{group}.in_force", str(now))
        for group, size in (("licensing", 800.0), ("penalty", 120.0), ("enforcement", 12.0)):
            put(f"{group}.decisions", str(_count(rng, 0.8, size)))
        if rng.random() < 0.6:
            put("fees.amount", "0")
        else:
            amount = f"{rng.lognormvariate(0, 1.5) * 300:.{rng.choice((0, 2, 4))}f}"
            put("fees.amount", amount + ("万元" if rng.random() < 0.3 else ""))
        return
    for group, size in (("regulations", 0.6), ("normative_documents", 10.0)):
        made = _count(rng, 0.7, size, 500)
        published = made if rng.random() < 0.8 else max(0, made - 1)
        total = history.published.get(group, int(rng.uniform(0.5, 3.0) * size * 10)) + published
        history.published[group] = total
        put(f"{group}.new_made", str(made))
        put(f"{group}.new_published", str(published))
        put(f"{group}.total_published", str(total))
    for group, stock, size in (("licensing", 200, 600.0), ("other_services", 20, 80.0), ("penalty", 1500, 100.0),
                               ("enforcement", 80, 10.0), ("fees", 20, 0.0)):
        before = history.items.get(group, int(rng.uniform(0.3, 2.0) * stock))
        change = rng.choice((0, 0, 0, 1, 2, 5, -1, -3)) if before > 5 else rng.choice((0, 1, 2))
        history.items[group] = before + change
        put(f"{group}.prev_items", str(before))
        put(f"{group}.change", (f"+{change}" if change > 0 and rng.random() < 0.5 else str(change)))
        if group != "fees":
            put(f"{group}.decisions", str(_count(rng, 0.8, size)))
    put("procurement.items", str(_count(rng, 0.7, 30.0, 5000)))
    amount = f"{rng.lognormvariate(0, 1.2) * 2_000_000:.2f}" if values[("active_disclosure", "procurement.items", None)] != "0" else "0"
    put("procurement.amount", amount + ("元" if amount != "0" and rng.random() < 0.5 else ""))


def _requests(values: dict[Key, str], template: str, rng: random.Random, history: History) -> None:
    rows = requests_rows(template)
    leaves = list(outcome_rows(template))  # the rows that add up to the outcome total (template.arithmetic)
    weights = [_LEAF_WEIGHTS[r] for r in leaves]
    columns: dict[str, dict[str, int]] = {}
    for a in applicant_parts():
        chance, size = _APPLICANT_SIZE[a]
        processed = _count(rng, chance, size, 5000)
        col = dict(zip(leaves, _split(processed, weights, rng)))
        col[outcome_total_item()] = processed
        carried_over = history.carried_forward.get(a, rng.choice((0, 0, 0, 1, 2)) if processed else 0)
        forward = rng.choice((0, 0, 0, 1, 2, 3)) if processed > 3 else 0
        if processed + forward < carried_over:  # cannot have received a negative number
            forward = carried_over - processed
        col["carried_over"] = carried_over
        col["carried_forward"] = forward
        col["new_received"] = processed + forward - carried_over
        columns[a] = col
        history.carried_forward[a] = forward
    for item in rows:
        total = 0
        for a in applicant_parts():
            values[("requests", item, a)] = str(columns[a][item])
            total += columns[a][item]
        values[("requests", item, "total")] = str(total)


def _review(values: dict[Key, str], rng: random.Random) -> None:
    chances = {"review": 0.3, "litigation_direct": 0.2, "litigation_after_review": 0.15}
    for block in review_blocks():  # each block's parts add up to its total (template.arithmetic)
        parts = [_count(rng, chances[block.name], 1.5, 50) for _ in block.parts]
        for item, n in zip(block.parts, parts):
            values[("review_litigation", item, None)] = str(n)
        values[("review_litigation", block.total, None)] = str(sum(parts))
