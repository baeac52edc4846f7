"""What our components do to the names spaCy's NER found, on a corpus without gold (`kg eval --drift FILE`).

For every NER PERSON, ORG and GPE entity: kept (a mention overlapping it has the class the label maps to), retyped
(overlapping mentions, all of another class), kept as a nationality word, or dropped (nothing overlaps it), and the
stage that did it: kg_mentions (cues, drops), kg_aliases (the article-level vote) or a later component (the linker's
KB type). A sanity figure for "organisation names lost", not a score: many retypes fix NER's errors.
"""
from __future__ import annotations

from collections import Counter

LABELS = ("ORG", "PERSON", "GPE")


def fate(doc, ent, label_map: dict, mentions: list) -> str:
    """'kept', 'dropped', 'nationality' or '->Class' for one NER entity, given the mention spans at some stage."""
    over = [m for m in mentions if m.start_char < ent.end_char and ent.start_char < m.end_char]
    if not over:
        nats = doc._.kg_nationalities or []
        return "nationality" if any(n["start"] < ent.end_char and ent.start_char < n["end"] for n in nats) \
            else "dropped"
    want = label_map[ent.label_]
    return "kept" if any(m.label_ == want for m in over) else "->" + over[0].label_


def drift(nlp, texts: list[str]) -> Counter:
    """(NER label, outcome, stage) -> count over ``texts``; stage is where an entity stopped being kept."""
    from ..data import load_json
    from ..pipeline import MENTIONS

    label_map = load_json("label_map.json")
    names = nlp.pipe_names
    later = names[names.index("kg_mentions") + 1:]
    counts: Counter = Counter()
    with nlp.select_pipes(disable=later):
        docs = list(nlp.pipe(texts))
    for doc in docs:
        ents = [e for e in doc.ents if e.label_ in LABELS]
        stages = []
        for name in ["kg_mentions", *later]:
            if name != "kg_mentions":
                doc = nlp.get_pipe(name)(doc)
            if name in ("kg_mentions", "kg_aliases", later[-1]):
                mentions = list(doc.spans[MENTIONS])
                stages.append((name if name != later[-1] else "later", [fate(doc, e, label_map, mentions)
                                                                        for e in ents]))
        for i, ent in enumerate(ents):
            outcome, stage = "kept", ""
            for name, fates in stages:
                if fates[i] != "kept":
                    outcome, stage = fates[i], name
                    break
            counts[(ent.label_, outcome, stage)] += 1
    return counts


def render(counts: Counter, articles: int) -> list[str]:
    """Lines: per NER label, each outcome with its count and its rate per 100 articles."""
    lines = [f"{'NER':7} {'outcome':14} {'stage':12} {'n':>6} {'per 100 articles':>17}"]
    for (label, outcome, stage), n in sorted(counts.items()):
        lines.append(f"{label:7} {outcome:14} {stage:12} {n:6d} {100 * n / max(articles, 1):17.1f}")
    for label in LABELS:
        total = sum(n for (lab, _, _), n in counts.items() if lab == label)
        lost = sum(n for (lab, out, _), n in counts.items() if lab == label and out not in ("kept", "nationality"))
        lines.append(f"{label}: {lost} of {total} dropped or retyped, {100 * lost / max(articles, 1):.1f} per 100 "
                     f"articles")
    return lines
