"""Link the entities of one extracted Doc to KB items: rank candidates, keep the best above a NIL threshold unless
the evidence is too weak, correct classes from the KB, resolve nationality adjectives to countries.

The score of a candidate, in 0..1 (see docs/linking.md):
    kind weight x class compatibility x (0.45 + 0.3 x prior + 0.25 x share) + context bonus
where prior is from sitelinks, else population, else item age, compared on the signals all candidates share
(kg.linking.context.shared_priors: a subset item known by its age against a namesake with sitelinks); share is
the candidate's part of the prior mass of all candidates of the entity (ambiguity); context is coherence with the
places and people linked in the article.
Weak evidence caps the score below the threshold (NIL): codes and acronyms without their country in the article,
one-word names of little-known items without context, a region named after its city, a person whose given name
is not the article's, mentions that are only parts of longer names. Each entity keeps its ``evidence`` (score,
the features that decided, the runner-up), and each mention span its ``kg_confidence``.
"""
from __future__ import annotations

import re

from ..names import MENTIONS, mention_key, norm
from .candidates import Candidate, candidates, demonym_countries
from .context import Context, prior, shared_priors
from .edits import detach, merge_same_qid, relabel
from .evidence import (article_roles, described_places, first_name_conflict, given_names, inside_longer_name,
                       role_agrees, surface_strength, surnames)
from .readings import read_entities
from .rules import Rules, load_rules

SUPPORTED = ("region", "country")
PARTIES = {"Q7278"}  # political parties: thousands in the KB, with generic names ("Reform Party", "Green Party")


class Linker:
    """Links entities of Docs against a candidate source (an offline KB or an online endpoint), by ``rules``
    (kg.linking.rules; None: the tables shipped in kg/data); ``threshold`` (None: the rules') is the NIL threshold."""

    def __init__(self, source, threshold: float | None = None, rules: Rules | None = None):
        self.source = source
        self.rules = rules = load_rules() if rules is None else rules
        self.threshold = rules.threshold if threshold is None else threshold
        self.kind_weight, self.limits, self.classes = rules.kind_weight, rules.limits, rules.classes
        self._described: dict[str, set[str]] = {}

    def described(self, item) -> set[str]:
        """A person's described places (cached, bounded)."""
        if item.qid not in self._described:
            if len(self._described) > 50_000:
                self._described.clear()
            self._described[item.qid] = described_places(self.source, item, self.classes.major_places)
        return self._described[item.qid]

    def support(self, ctx: Context, item) -> str | None:
        if "Q5" in item.values("P31"):
            return ctx.support(item, self.described(item))
        return ctx.support(item)

    # ---- ranking ----
    def score(self, ent: dict, cands: dict[str, Candidate], ctx: Context, facts: dict) -> tuple:
        """Score every candidate (reasons kept on it); (best candidate or None, evidence dict)."""
        viable, rejected, w = [], [], self.rules.score
        for cand in cands.values():
            compat = self.classes.compatibility(ent["cls"], cand.item.values("P31"))
            if compat == 0:
                continue
            if "Q5" in cand.item.values("P31") and first_name_conflict(cand.item.label, facts["given"],
                                                                       self.rules.titles):
                rejected.append(f"{cand.qid} {cand.item.label!r}: another given name than the article's")
                continue
            weight = max(self.kind_weight[k] for k in cand.kinds) * (w["derived"] if cand.derived else 1.0)
            cand.reasons = [f"{'+'.join(sorted(cand.kinds))} match", f"class fit {compat}"]
            cand.score = weight * compat
            viable.append(cand)
        if not viable:
            return None, {"score": 0.0, "features": rejected or ["no candidate of a fitting class"]}
        priors = shared_priors([c.item for c in viable])
        mass = sum(priors.values()) or 1.0
        for cand in viable:
            rank_prior, share, p = priors[cand.qid], priors[cand.qid] / mass, prior(cand.item)
            cand.score *= w["base"] + w["prior"] * rank_prior + w["share"] * share
            cand.reasons.append(f"prior {p:.2f} ({rank_prior:.2f} on the signals all candidates share), "
                                f"share {share:.2f}")
            support = self.support(ctx, cand.item)
            if support:
                cand.score += self.rules.context_bonus[support]
                cand.reasons.append(f"context: {support}")
            for weak in self.weaknesses(ent, cand, p, support, facts) + self.misreadings(cand, p, support, ctx, facts):
                cand.score = min(cand.score, self.threshold * 0.9)
                cand.reasons.append(weak)
            cand.score = round(min(1.0, cand.score), 3)
        ranked = sorted(viable, key=lambda c: (c.score, priors[c.qid], c.qid), reverse=True)
        best = ranked[0]
        evidence = {"score": best.score, "qid": best.qid, "features": list(best.reasons) + rejected}
        if len(ranked) > 1:
            evidence["features"].append(f"runner-up {ranked[1].qid} {ranked[1].item.label!r} {ranked[1].score}")
        if len(ranked) > 1 and self._tie(best, ranked[1], ctx):
            evidence["features"].append("a namesake of the same kind scores as high")
            best.score = min(best.score, round(self.threshold * 0.9, 3))
            evidence["score"] = best.score
        if best.score < self.threshold:
            evidence["features"].append(f"NIL: below {self.threshold}")
            return None, evidence
        return best, evidence

    def _tie(self, best: Candidate, second: Candidate, ctx: Context) -> bool:
        """A namesake of the same kind (P31; not countries or regions: a federal city and its oblast), matched the
        same way, scores within the tie margin and the article does not place the best in one of its regions (Portland,
        Maine or Oregon, in an article naming only the US)."""
        return best.score - second.score < self.limits["tie_margin"] and best.kinds == second.kinds \
            and set(best.item.values("P31")) == set(second.item.values("P31")) \
            and not set(best.item.values("P31")) & self.classes.major_places \
            and self.support(ctx, best.item) != "region"

    def weaknesses(self, ent: dict, cand: Candidate, p: float, support: str | None, facts: dict) -> list[str]:
        """Why the evidence for ``cand`` is too weak to link, if it is (each reason caps the score below the
        threshold)."""
        p31, lim, classes = set(cand.item.values("P31")), self.limits, self.classes
        actor_places, major_places = classes.actor_places, classes.major_places
        place = classes.class_of(p31) == "Place"
        out = []
        if facts["inside"]:
            out.append("every mention is part of a longer name")
        if classes.compatibility(ent["cls"], list(p31)) < 1 and support == "foreign":
            out.append("a stand-in class (the mention was typed otherwise) in a country the article never names")
        if cand.code_like and p < lim["known_code_prior"]:
            out.append("a code or acronym of a little-known item")
        if cand.kinds <= {"code", "acronym"} and (support not in SUPPORTED or place and not p31 & actor_places):
            out.append("a code or acronym without its country in the article (places other than countries: never)")
        strength = facts["strength"]
        if strength == "short":
            out.append("a short name not written in capitals")
        elif strength == "word" and support not in SUPPORTED and p < lim["known_word_prior"]:
            out.append("one word naming a little-known item, without context")
        if cand.kinds == {"surname"} and (p < lim["known_word_prior"] and support != "region" or support == "foreign"):
            out.append("a lone surname of a little-known person")
        if "Q5" in p31 and p < lim["known_person_prior"] and support == "foreign":
            out.append("a little-known person of a country the article never names")
        if classes.class_of(p31) == "Organisation" and (cand.item.values("P17") or p31 & PARTIES) \
                and support not in SUPPORTED and not cand.kinds & {"label", "news"}:
            out.append("a national organisation or party, by another name than its own, not placed in its country")
        if p31 & major_places and not p31 & actor_places and not cand.kinds & {"label", "news"} \
                and not cand.derived and any(_part_of(n, cand.item.label, self.rules.place_words) for n in cand.names):
            out.append("a region matched by the name of its city (the region's label is longer)")
        if place and not p31 & major_places and facts["the"]:
            out.append("a town's name never follows 'the' (\"the Centre\")")
        if place and not p31 & major_places and not (support == "region" or (
                support != "foreign" and p >= lim["minor_place_prior"]) or p >= lim["known_place_prior"]):
            out.append("small place without its region or country in the article")
        return out

    def misreadings(self, cand: Candidate, p: float, support: str | None, ctx: Context, facts: dict) -> list[str]:
        """Why the article uses the name for something else than ``cand`` (kg.linking.readings), or describes the
        person otherwise, if it does (each reason caps the score below the threshold)."""
        p31, actor_places = set(cand.item.values("P31")), self.classes.actor_places
        place, out = self.classes.class_of(p31) == "Place", []
        if place and facts["sports"] and not p31 & actor_places:
            out.append("a place other than a country in a sports report: it names a club, team or venue")
        if place and facts["team"] and (facts["sports"] or not p31 & actor_places):
            out.append(f"the name acts as an organisation: {facts['team']}")
        if place and facts["person"]:
            out.append(f"the name is a person's: {facts['person']}")
        quoted = self._quoted(facts, p31)
        if quoted and len(quoted) == facts["mentions"]:
            out.append(f"every mention is {quoted[0][2]}")
        if "Q5" in p31 and p < self.limits["known_person_prior"]:
            if support not in SUPPORTED and not role_agrees(cand.item.description, facts["roles"]):
                out.append(f"a little-known person the article gives another role ({'; '.join(facts['roles'])})")
            divisions = {q for q in self.described(cand.item) if self._division(q)}
            if divisions and support != "region" and not divisions & ctx.regions and not any(
                    re.search(rf"\b{re.escape(self.source.item(q).label or q)}\b", facts["text"]) for q in divisions):
                out.append("a little-known person of a state or province the article never names")
        return out

    def _division(self, qid: str) -> bool:
        """A first-level division (state, province), not a country."""
        item = self.source.item(qid)
        p31 = set(item.values("P31")) if item is not None else set()
        return bool(p31 & self.classes.major_places) and not p31 & self.classes.actor_places

    def _quoted(self, facts: dict, p31: set) -> list:
        """The mentions that only quote the name of an item of classes ``p31``: a name given ("named X") or part of
        a title ("Dinner With Saddam") always; part of an event's name ("the Paris attacks") for a place other than
        a country."""
        return [q for q in facts["name_only"] if q[1] != "event" or not p31 & self.classes.actor_places]

    # ---- the document ----
    def facts(self, doc, key: str, ent: dict, spans: list, readings: dict) -> dict:
        """What the article says about an entity (``spans``: its mentions): surface strength, the given names it
        pairs with the entity's surname anywhere in the article, whether every mention is inside a longer name, the
        roles it gives a person, and how it uses the name (``readings``: kg.linking.readings)."""
        titles = self.rules.titles
        given = given_names(ent["names"], titles)
        if ent["cls"] == "Person":
            own = surnames(ent["names"], titles)
            for other in doc._.kg_entities.values():
                if other is not ent and other["cls"] == "Person":
                    given |= {g for n in other["names"] if surnames([n], titles) & own
                              for g in given_names([n], titles)}
        return {"strength": surface_strength(ent, titles), "given": given, "mentions": len(spans),
                "inside": bool(spans) and all(inside_longer_name(s, titles) for s in spans),
                "the": bool(spans) and all(_headed_by_the(s) for s in spans),
                "roles": article_roles(doc, key) if ent["cls"] == "Person" else [], **readings}

    def link_doc(self, doc):
        """Set qid/confidence/evidence (and KB label and class) on the Doc's entities, kg_confidence on their
        mentions, and countries on nationalities."""
        ents = doc._.kg_entities
        if ents is None:
            return doc
        cands = {key: candidates(self.source, ent, self.rules) for key, ent in ents.items()}
        spans: dict[str, list] = {}
        for span in doc.spans[MENTIONS]:
            spans.setdefault(span._.kg_entity, []).append(span)
        actor_places = self.classes.actor_places
        countries = {key for key, cs in cands.items() if any(set(c.item.values("P31")) & actor_places
                                                             for c in cs.values())}
        readings = read_entities(doc, spans, countries, self.rules.readings)
        unread, text = {"sports": False, "team": None, "person": None, "name_only": []}, doc.text
        facts = {key: self.facts(doc, key, ent, spans.get(key, []), {**readings.get(key, unread), "text": text})
                 for key, ent in ents.items() if cands[key]}
        ctx = Context(self.classes)
        nat_countries = {nat["text"]: demonym_countries(self.source, nat["text"])
                         for nat in (doc._.kg_nationalities or [])}
        for qids in nat_countries.values():
            for qid in qids[:1]:
                ctx.countries.add(qid)
        # two passes: the first pass's choices for the *other* entities are the context of each in the second
        first = {key: self.score(ents[key], cs, ctx, facts[key])[0] for key, cs in cands.items() if cs}
        chosen = {}
        for key, cs in cands.items():
            if not cs:
                continue
            own = Context(self.classes, ctx)
            for other, cand in first.items():
                if cand and other != key:
                    own.add(cand.item)
            chosen[key] = self.score(ents[key], cs, own, facts[key])
        for key, (cand, evidence) in chosen.items():
            ents[key]["evidence"] = evidence
            if cand:
                self._apply(doc, key, cand.item, cand.score)
        self._link_partial_names(doc)
        for key, read in readings.items():  # mentions that only quote the name leave the linked entity
            item = self.source.item(ents[key]["qid"]) if ents[key].get("qid") else None
            quoted = self._quoted(read, set(item.values("P31"))) if item else []
            if quoted:
                detach(doc, key, [q[0] for q in quoted], quoted[0][2])
        self._link_nationalities(doc, nat_countries)
        merge_same_qid(doc)
        self._mention_confidence(doc)
        return doc

    def _mention_confidence(self, doc) -> None:
        """Each mention's confidence: its entity's, lowered for a mention that is part of a longer name."""
        for span in doc.spans[MENTIONS]:
            conf = doc._.kg_entities[span._.kg_entity].get("confidence")
            if conf is not None and inside_longer_name(span, self.rules.titles):
                conf = round(conf * self.limits["inside_discount"], 3)
            span._.kg_confidence = conf if doc._.kg_entities[span._.kg_entity].get("qid") else None

    def _apply(self, doc, key: str, item, confidence: float) -> None:
        ent = doc._.kg_entities[key]
        ent["qid"], ent["confidence"] = item.qid, confidence
        if item.label:
            ent["label"] = item.label
        kb_cls = self.classes.class_of(item.values("P31"))
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
            words = {mention_key(n) for n in ent["names"] | {ent["label"]}}
            words = {w for w in words if len(w.split()) == 1}
            if not words:
                continue
            owners = {p["qid"]: p for p in people if any(_ends(n) & words for n in p["names"] | {p["label"]})}
            if len(owners) == 1:
                owner = next(iter(owners.values()))
                confidence = round(owner["confidence"] * self.limits["partial_discount"], 3)
                self._apply(doc, key, self.source.item(owner["qid"]), confidence)
                ent["evidence"] = {"score": confidence, "qid": owner["qid"], "features": [
                    f"one word of the name of {owner['label']!r}, the one linked person of the article it fits"]}

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
                key = f"Place:{mention_key(item.label or item.qid)}"
                ent = ents.setdefault(key, {"cls": "Place", "label": item.label or item.qid, "names": set(),
                                            "qid": None, "confidence": None})
                ent["qid"], ent["confidence"] = item.qid, self.limits["nationality_confidence"]
                by_qid[item.qid] = key
            nat["country"], nat["qid"] = key, item.qid


def _ends(name: str) -> set[str]:
    """First and last word of a name of several words ("Saddam", "Hussein"); nothing for a single word."""
    words = mention_key(name).split()
    return {words[0], words[-1]} if len(words) > 1 else set()


def _headed_by_the(span) -> bool:
    """"the Centre": the name follows "the" and heads its phrase (not a modifier: "the Miami office", "the
    Miami-based")."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    return span.start > 0 and doc[span.start - 1].lower_ == "the" and \
        (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ") and nxt.text not in "-–")


def _part_of(name: str, label: str | None, place_words: frozenset[str]) -> bool:
    """``name`` is a proper part of ``label`` and the rest is more than generic place words: "Madrid" of "Community
    of Madrid" (the region named after its city), not "Nairobi" of "Nairobi City"."""
    words, whole = norm(name).split(), norm(label or "").split()
    for i in range(len(whole) - len(words) + 1):
        if 0 < len(words) < len(whole) and whole[i:i + len(words)] == words:
            rest = whole[:i] + whole[i + len(words):]
            return not all(w in place_words or w == "of" for w in rest)
    return False


def link_doc(doc, kb, threshold: float | None = None, rules: Rules | None = None):
    """Link ``doc`` against ``kb`` (a kg.kb.KB or any source with lookup/item); returns the Doc."""
    return Linker(kb, threshold, rules).link_doc(doc)
