"""What a candidate's popularity is (prior) and where the article is (Context: the countries and regions of the
places linked so far), for ranking and for the context rules of kg.linking.link."""
from __future__ import annotations

import math

from .classes import P31Classes

NEUTRAL_PRIOR = 0.3


def prior(item) -> float:
    """Popularity in 0..1: from sitelinks when the KB has them; else the larger of population and item age.

    Item age: Wikidata numbers items in order of creation and the notable ones came first (Q5083 Seattle,
    Q548490 a town called Kremlin), so a low QID number is a usable prior when nothing else is known."""
    if item.sitelinks:
        return _sitelinks_prior(item.sitelinks)
    by_population = _population_prior(item.population) if item.population else 0.0
    return max(by_population, age_prior(item.qid))


def shared_priors(items) -> dict[str, float]:
    """Each item's prior compared like with like. When every item has a sitelink count, on sitelinks; when none
    has, as ``prior`` (within one source a missing population is itself a sign of a small place); when some have
    and some have not, the KB merges sources of unlike coverage (a subset without sitelinks beside a dump with
    them), so on the larger of the signals every item has (item age; population when all have one) rather than
    one item's sitelinks or population against another's age."""
    signals = {item.qid: _signals(item) for item in items}
    counted = [s for s in signals.values() if "sitelinks" in s]
    if not counted:
        return {item.qid: prior(item) for item in items}
    if len(counted) == len(signals):
        return {qid: s["sitelinks"] for qid, s in signals.items()}
    common = set.intersection(*(set(s) for s in signals.values()))
    return {qid: max(s[k] for k in common) for qid, s in signals.items()}


def _signals(item) -> dict[str, float]:
    """The prior signals the KB holds for an item (a sitelink count of 0 is a signal; a missing count is not)."""
    out = {"age": age_prior(item.qid)}
    if item.sitelinks is not None:
        out["sitelinks"] = _sitelinks_prior(item.sitelinks)
    if item.population:
        out["population"] = _population_prior(item.population)
    return out


def _sitelinks_prior(count: int) -> float:
    return min(1.0, math.log10(1 + count) / math.log10(300))


def _population_prior(population: float) -> float:
    return min(1.0, math.log10(1 + population) / 7)


def age_prior(qid: str) -> float:
    """1 for Q1..Q1000, falling to 0 at Q100,000,000 (log scale)."""
    try:
        return min(1.0, max(0.0, (8 - math.log10(int(qid[1:]))) / 5))
    except ValueError:
        return NEUTRAL_PRIOR


class Context:
    """What the article tells about where it is: countries and regions of the places linked so far."""

    def __init__(self, classes: P31Classes, base: "Context | None" = None):
        self.classes = classes
        self.countries: set[str] = set(base.countries) if base else set()
        self.regions: set[str] = set(base.regions) if base else set()

    def add(self, item) -> None:
        p31 = set(item.values("P31"))
        cls = self.classes.class_of(p31)
        if cls == "Organisation":  # a party or newspaper of a country places the article there
            self.countries.update(item.values("P17"))
        if cls != "Place":
            return
        if p31 & self.classes.major_places:
            self.regions.add(item.qid)
        self.countries.update(item.values("P17") or ([item.qid] if "Q6256" in p31 else []))
        self.regions.update(item.values("P131"))

    def support(self, item, places: set[str] | None = None) -> str | None:
        """'region' when the item lies in a region of the article, 'country' when in one of its countries,
        'foreign' when it lies in a country the article never names (it names others), else None. ``places``
        stands for the item's own facts (a person's described places)."""
        regions = set(item.values("P131")) if places is None else places
        countries = set(item.values("P17")) if places is None else places
        if regions & self.regions:
            return "region"
        if countries & self.countries or item.qid in self.countries:
            return "country"
        if countries and self.countries:
            return "foreign"
        return None
