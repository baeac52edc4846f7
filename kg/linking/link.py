"""Link the entities of one extracted Doc to KB items: rank candidates, keep the best above a NIL threshold,
correct classes from the KB, resolve nationality adjectives to countries.

The score of a candidate, in 0..1 (see docs/linking.md):
    kind weight x class compatibility x (0.45 + 0.3 x prior + 0.25 x share) + context bonus
where prior is from sitelinks, else population, else neutral; share is the candidate's part of the prior mass of all
candidates of the entity (ambiguity); context is coherence with places already linked in the article.
"""
from __future__ import annotations

import math

from spacy.tokens import Span

from ..pipeline import MENTIONS
from ..pipeline.mentions import normalise
from .candidates import RULES, Candidate, candidates, demonym_countries
from .classes import MAJOR_PLACES, class_of_p31, compatibility

NEUTRAL_PRIOR = 0.3
MINOR_PLACE_PRIOR = 0.5   # a town/city below this prior needs its region (wdt:P131) in the article
KNOWN_PLACE_PRIOR = 0.7   # a town/city with this prior is linked without context
KNOWN_CODE_PRIOR = 0.6    # an item named by a code or acronym ("ANC", "AP") needs at least this prior
PARTIAL_DISCOUNT = 0.95   # confidence of a surname linked through its full name in the article


def prior(item) -> float:
    """Popularity in 0..1: from sitelinks when the KB has them; else the larger of population and item age.

    Item age: Wikidata numbers items in order of creation and the notable ones came first (Q5083 Seattle,
    Q548490 a town called Kremlin), so a low QID number is a usable prior when nothing else is known."""
    if item.sitelinks:
        return min(1.0, math.log10(1 + item.sitelinks) / math.log10(300))
    by_population = min(1.0, math.log10(1 + item.population) / 7) if item.population else 0.0
    return max(by_population, age_prior(item.qid))


def age_prior(qid: str) -> float:
    """1 for Q1..Q1000, falling to 0 at Q100,000,000 (log scale)."""
    try:
        return min(1.0, max(0.0, (8 - math.log10(int(qid[1:]))) / 5))
    except ValueError:
        return NEUTRAL_PRIOR


class Context:
    """What the article tells about where it is: countries and regions of the places linked so far."""

    def __init__(self, base: "Context | None" = None):
        self.countries: set[str] = set(base.countries) if base else set()
        self.regions: set[str] = set(base.regions) if base else set()

    def add(self, item) -> None:
        p31 = set(item.values("P31"))
        if class_of_p31(p31) != "Place":
            return
        if p31 & MAJOR_PLACES:
            self.regions.add(item.qid)
        self.countries.update(item.values("P17") or ([item.qid] if "Q6256" in p31 else []))
        self.regions.update(item.values("P131"))

    def support(self, item) -> str | None:
        """'region' when the item lies in a region of the article, 'country' when in one of its countries,
        'foreign' when it lies in a country the article never names (it names others), else None."""
        if set(item.values("P131")) & self.regions:
            return "region"
        countries = set(item.values("P17"))
        if countries & self.countries or item.qid in self.countries:
            return "country"
        if countries and self.countries:
            return "foreign"
        return None


class Linker:
    """Links entities of Docs against a candidate source (an offline KB or an online endpoint)."""

    def __init__(self, source, threshold: float | None = None):
        self.source = source
        self.threshold = RULES["threshold"] if threshold is None else threshold
        self.kind_weight = RULES["kind_weight"]

    # ---- ranking ----
    def score(self, ent: dict, cands: dict[str, Candidate], ctx: Context) -> Candidate | None:
        """Score every candidate (reasons kept on it) and return the best one above the threshold, else None."""
        viable = []
        for cand in cands.values():
            p31 = cand.item.values("P31")
            compat = compatibility(ent["cls"], p31)
            if compat == 0:
                continue
            weight = max(self.kind_weight[k] for k in cand.kinds) * (0.95 if cand.derived else 1.0)
            cand.reasons = [f"{'+'.join(sorted(cand.kinds))} match", f"class fit {compat}"]
            cand.score = weight * compat
            viable.append(cand)
        if not viable:
            return None
        priors = {c.qid: prior(c.item) for c in viable}
        mass = sum(priors.values()) or 1.0
        for cand in viable:
            p, share = priors[cand.qid], priors[cand.qid] / mass
            cand.score *= 0.45 + 0.3 * p + 0.25 * share
            cand.reasons.append(f"prior {p:.2f}, share {share:.2f}")
            support = ctx.support(cand.item)
            if support:
                cand.score += RULES["context_bonus"][support]
                cand.reasons.append(f"context: {support}")
            if cand.code_like and p < KNOWN_CODE_PRIOR:
                cand.score = min(cand.score, self.threshold * 0.9)
                cand.reasons.append("a code or acronym of a little-known item")
            if not self._plausible_minor_place(cand, support):
                cand.score = min(cand.score, self.threshold * 0.9)
                cand.reasons.append("small place without its region or country in the article")
            cand.score = round(min(1.0, cand.score), 3)
        best = max(viable, key=lambda c: (c.score, priors[c.qid], c.qid))
        return best if best.score >= self.threshold else None

    @staticmethod
    def _plausible_minor_place(cand: Candidate, support: str | None) -> bool:
        """A town or city (not a country or region) is linked only with support: a namesake is likelier."""
        p31 = set(cand.item.values("P31"))
        if class_of_p31(p31) != "Place" or p31 & MAJOR_PLACES:
            return True
        p = prior(cand.item)
        return (support == "region" or (support != "foreign" and p >= MINOR_PLACE_PRIOR)
                or p >= KNOWN_PLACE_PRIOR)

    # ---- the document ----
    def link_doc(self, doc):
        """Set qid/confidence (and KB label and class) on the Doc's entities, and countries on nationalities."""
        ents = doc._.kg_entities
        if ents is None:
            return doc
        cands = {key: candidates(self.source, ent) for key, ent in ents.items()}
        ctx = Context()
        nat_countries = {nat["text"]: demonym_countries(self.source, nat["text"])
                         for nat in (doc._.kg_nationalities or [])}
        for qids in nat_countries.values():
            for qid in qids[:1]:
                ctx.countries.add(qid)
        # two passes: the first pass's choices for the *other* entities are the context of each in the second
        chosen = {key: self.score(ents[key], cs, ctx) for key, cs in cands.items()}
        first = dict(chosen)
        for key, cs in cands.items():
            own = Context(ctx)
            for other, cand in first.items():
                if cand and other != key:
                    own.add(cand.item)
            chosen[key] = self.score(ents[key], cs, own)
        for key, cand in chosen.items():
            if cand:
                self._apply(doc, key, cand.item, cand.score)
        self._link_partial_names(doc)
        self._link_nationalities(doc, nat_countries)
        merge_same_qid(doc)
        return doc

    def _apply(self, doc, key: str, item, confidence: float) -> None:
        ent = doc._.kg_entities[key]
        ent["qid"], ent["confidence"] = item.qid, confidence
        if item.label:
            ent["label"] = item.label
        kb_cls = class_of_p31(item.values("P31"))
        if kb_cls and kb_cls != ent["cls"]:
            ent["cls"] = kb_cls
            relabel(doc, key, kb_cls)

    def _link_partial_names(self, doc) -> None:
        """A person named by one word ("Putin") takes the link of the one linked person in the article whose
        name starts or ends with that word ("Vladimir Putin", "Saddam Hussein")."""
        ents = doc._.kg_entities
        people = [e for e in ents.values() if e["cls"] == "Person" and e.get("qid")]
        for key, ent in list(ents.items()):
            if ent["cls"] != "Person" or ent.get("qid"):
                continue
            words = {normalise(n) for n in ent["names"] | {ent["label"]}}
            words = {w for w in words if len(w.split()) == 1}
            if not words:
                continue
            owners = {p["qid"]: p for p in people if any(_ends(n) & words for n in p["names"] | {p["label"]})}
            if len(owners) == 1:
                owner = next(iter(owners.values()))
                self._apply(doc, key, self.source.item(owner["qid"]),
                            round(owner["confidence"] * PARTIAL_DISCOUNT, 3))

    def _link_nationalities(self, doc, nat_countries: dict[str, list[str]]) -> None:
        ents = doc._.kg_entities
        by_qid = {e["qid"]: k for k, e in ents.items() if e.get("qid") and e["cls"] == "Place"}
        for nat in doc._.kg_nationalities or []:
            qids = nat_countries.get(nat["text"]) or []
            items = sorted((self.source.item(q) for q in qids if self.source.item(q)), key=prior, reverse=True)
            if not items:
                continue
            item = items[0]
            key = by_qid.get(item.qid)
            if key is None:
                key = f"Place:{normalise(item.label or item.qid)}"
                ent = ents.setdefault(key, {"cls": "Place", "label": item.label or item.qid, "names": set(),
                                            "qid": None, "confidence": None})
                ent["qid"], ent["confidence"] = item.qid, 0.9
                by_qid[item.qid] = key
            nat["country"], nat["qid"] = key, item.qid


def _ends(name: str) -> set[str]:
    """First and last word of a name of several words ("Saddam", "Hussein"); nothing for a single word."""
    words = normalise(name).split()
    return {words[0], words[-1]} if len(words) > 1 else set()


def relabel(doc, key: str, cls: str) -> None:
    """Give the mention spans of entity ``key`` the class ``cls`` (spans are immutable: replace them)."""
    spans = []
    for span in doc.spans[MENTIONS]:
        if span._.kg_entity == key and span.label_ != cls:
            new = Span(doc, span.start, span.end, label=cls)
            new._.kg_entity = key
            span = new
        spans.append(span)
    doc.spans[MENTIONS] = spans


def merge_same_qid(doc) -> None:
    """One entity per QID: later entities linked to the same item fold into the first (names, mentions, and
    references from roles, events, claims and nationalities are moved over)."""
    ents = doc._.kg_entities
    first: dict[str, str] = {}
    for key in list(ents):
        qid = ents[key].get("qid")
        if not qid:
            continue
        keep = first.setdefault(qid, key)
        if keep == key:
            continue
        ents[keep]["names"] |= ents[key]["names"]
        ents[keep]["confidence"] = max(ents[keep]["confidence"] or 0, ents[key]["confidence"] or 0)
        del ents[key]
        for span in doc.spans[MENTIONS]:
            if span._.kg_entity == key:
                span._.kg_entity = keep
        for name in ("kg_nationalities", "kg_roles", "kg_events", "kg_claims"):
            for record in getattr(doc._, name) or []:
                _repoint(record, key, keep)


def _repoint(record, old: str, new: str):
    """Replace the entity key ``old`` by ``new`` anywhere in a record (dicts, lists, sets, tuples)."""
    if isinstance(record, dict):
        for k, v in record.items():
            record[k] = new if v == old else _repoint(v, old, new)
        return record
    if isinstance(record, list):
        record[:] = [new if v == old else _repoint(v, old, new) for v in record]
        return record
    if isinstance(record, (set, tuple)):
        return type(record)(new if v == old else _repoint(v, old, new) for v in record)
    return record


def link_doc(doc, kb, threshold: float | None = None):
    """Link ``doc`` against ``kb`` (a kg.kb.KB or any source with lookup/item); returns the Doc."""
    return Linker(kb, threshold).link_doc(doc)
