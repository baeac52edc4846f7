"""kg_aliases: one class per name and one entity per alias cluster, across the whole article.

Rewrites ``doc.spans["kg_mentions"]`` and ``doc._.kg_entities`` from what kg_mentions found:
1. Recall: later occurrences of a name already found (full names, and surnames of people: "Mkhwebane") that NER
   missed become mentions too (source "alias").
2. Consistency: every mention of one normalised name gets the class most of its mentions have, weighing mentions
   typed by a context cue above plain NER; a surname or short form of a person or event ("Langer" after
   "Bernhard Langer", "Otto" after "Hurricane Otto") takes that entity's class.
3. Identity: mentions join one cluster when they share a normalised name, when one is the surname or short form
   of another, when one is the acronym of another ("AP" / "Associated Press"), or when both are forms of one
   canonical name in data/aliases.json ("U.S." / "US" / "United States"). The cluster's entity is labelled with the
   canonical, else the longest, name; ``names`` holds every surface form.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import load_json
from ..names import mention_key
from . import MENTIONS, reset
from .boilerplate import skipped
from .cues import relative_class, subject_class
from .mentions import entity_key
from .tables import CUE_FILES, Cues, SavedTables, cue_tables

# Repeats kg_aliases found by matching a known name are copies, not evidence: they vote only where nothing else does.
# A pronoun after a subject ("Nair said that she") is one more vote; a person's full name gives its surname a vote a
# little above a cue's, so that a full name wins a tie with NER's other reading of the surname.
WEIGHTS = {"cue": 3.0, "ner": 1.0, "alias": 0.0, "pronoun": 3.0, "full name": 3.5}
_MINOR = {"of", "the", "and", "for", "de", "&"}


def initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _MINOR and w[:1].isupper())


def short_form(name: str, cls: str, cues: Cues) -> str | None:
    """The form a later mention of a full name may take: a person's surname ("Putin", "van den Broek"), an event's
    name without its kind ("Otto" for "Hurricane Otto"); None for other names."""
    words = name.split()
    if len(words) < 2:
        return None
    if cls == "Person" and words[-1][:1].isupper() and len(words[-1]) > 2:
        first = len(words) - 1
        while first > 1 and words[first - 1] in cues.particles:
            first -= 1  # "van den Broek", "bin Salman"
        return " ".join(words[first:])
    if cls == "Event" and words[0].lower() in cues.event_first:
        return " ".join(words[1:])
    if cls == "Organisation" and len(words) == 2 and words[1].lower() in cues.org_heads \
            and not words[0].replace(".", "").isupper() and not cues.is_country(words[0]):
        return words[0]  # "Tullow" for "Tullow Oil", "Labour" for "Labour Party"; not "US" for "US Senate"
    return None


def key_of(span: Span, cues: Cues) -> str:
    """The name a mention is compared by: normalised, without a person's courtesy titles; a short form (three
    letters or fewer) keeps its case: "US" is not the "Us" of a magazine's name."""
    letters = span.text.replace(".", "")
    if len(letters) <= 3 and not letters.isupper():
        return span.text
    return mention_key(cues.name_of(span.label_, span.text))


class Aliases(SavedTables):
    def __init__(self, nlp: Language, name: str, aliases: str, cues: dict):
        self.name = name
        self.use_tables({"aliases": load_json(aliases), "cues": cue_tables(cues)})

    def use_tables(self, tables: dict) -> None:
        self.tables = tables
        self.canonical, self.cues = tables["aliases"], Cues.from_tables(tables["cues"])

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        mentions = sorted(doc.spans[MENTIONS], key=lambda s: (s.start, -s.end))
        mentions = self.add_missed(doc, _dedupe(mentions))
        classes = self.vote(mentions)
        self.cluster(doc, mentions, classes)
        return doc

    def add_missed(self, doc: Doc, mentions: list[Span]) -> list[Span]:
        """Occurrences of found names (and of people's surnames) that NER left out."""
        wanted: dict[tuple[str, ...], str] = {}
        for span in mentions:
            name = self.cues.name_of(span.label_, span.text)
            if name[:1].isupper():
                wanted.setdefault(tuple(name.split()), span.label_)
            form = short_form(name, span.label_, self.cues)
            if form:
                wanted.setdefault(tuple(form.split()), span.label_)
        covered = {i for span in mentions for i in range(span.start, span.end)}
        by_first = defaultdict(list)
        for words, cls in wanted.items():
            by_first[words[0]].append((words, cls))
        added = []
        for tok in doc:
            if tok.i in covered or tok.text not in by_first:
                continue
            for words, cls in sorted(by_first[tok.text], key=lambda w: -len(w[0])):
                end = tok.i + len(words)
                if end > len(doc) or any(i in covered for i in range(tok.i, end)):
                    continue
                if tuple(t.text for t in doc[tok.i:end]) != words:
                    continue
                if tok.i > 0 and not tok.is_sent_start and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].is_title:
                    continue  # part of a longer name we do not know ("Jered Weaver")
                if len(words) == 1 and tok.pos_ != "PROPN":
                    continue
                if end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
                    continue  # part of a longer name we do not know ("Weaver Street")
                if skipped(doc, tok.idx, doc[end - 1].idx + len(doc[end - 1])):
                    continue
                span = Span(doc, tok.i, end, label=cls)
                span._.kg_source = "alias"
                added.append(span)
                covered.update(range(tok.i, end))
                break
        return sorted(mentions + added, key=lambda s: s.start)

    def vote(self, mentions: list[Span]) -> dict[str, str]:
        """normalised name -> class by weighted majority of what typed its mentions and the pronouns that follow them
        ("she", "its"). A person's surname or an event's short form gets the full name's class as one more vote, not
        as a verdict: "Ford" called a company ten times stays one after "Bill Ford"."""
        cues = self.cues
        votes: dict[str, Counter] = defaultdict(Counter)
        for span in mentions:
            votes[key_of(span, cues)][span.label_] += WEIGHTS.get(span._.kg_source, 1.0)
            for said in (subject_class(span), relative_class(span)):
                if said == "not a person" or said == "Organisation" and span.label_ == "Place":
                    # "its", "which", "who are" say only that it is no person: a country is an "it" too, and
                    # "the UK, who are not online" means its people
                    said = "Organisation" if span.label_ == "Person" else span.label_
                if said:
                    votes[key_of(span, cues)][said] += WEIGHTS["pronoun"]
        classes = {name: c.most_common(1)[0][0] for name, c in votes.items()}
        forms: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for span in mentions:
            cls = classes[key_of(span, cues)]
            form = short_form(cues.name_of(cls, span.text), cls, cues)
            if form and mention_key(form) in classes:
                forms[mention_key(form)].add((key_of(span, cues), cls))
        for form, owners in forms.items():
            for _, cls in sorted(owners):  # sorted: a tie goes the same way in every process (set order follows
                # the string hash seed, which differs between a run and its worker processes)
                votes[form][cls] += WEIGHTS["full name"]
            classes[form] = votes[form].most_common(1)[0][0]
        return classes

    def cluster(self, doc: Doc, mentions: list[Span], classes: dict[str, str]) -> None:
        """Group mentions into entities and write them back onto the Doc."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        cues = self.cues
        names = {key_of(s, cues): cues.name_of(s.label_, s.text) for s in mentions}
        full = [n for n in names if len(n.split()) > 1]
        for n, surface in names.items():
            canon = self.canon(surface)
            if canon:
                union(mention_key(canon), n)
            letters = surface.replace(".", "")
            if len(n.split()) == 1 and letters.isupper() and 2 <= len(letters) <= 6:
                for f in full:  # not a name with the acronym in it ("US Senate" is not the US)
                    if initials(names[f]) == letters and classes[f] != "Person" and not any(
                            w.replace(".", "").isupper() and len(w) > 1 for w in names[f].split()):
                        union(f, n)
            if len(n.split()) == 1 or n.split()[0] in cues.particles:  # a surname joins its one full name
                owners = [f for f in full if mention_key(short_form(names[f], classes[f], cues) or "") == n
                          and classes[f] == classes[n]]  # "Ford" the company is not Bill Ford
                if len(set(owners)) == 1:
                    union(owners[0], n)
        groups: dict[str, list[Span]] = defaultdict(list)
        for span in mentions:
            groups[find(key_of(span, cues))].append(span)
        doc._.kg_entities = {}
        group = []
        for root, spans in groups.items():
            cls = classes.get(root) or Counter(classes[key_of(s, cues)] for s in spans).most_common(1)[0][0]
            label = self.canonical_label(root, spans)
            key = entity_key(cls, cues.name_of(cls, label))
            ent = doc._.kg_entities.setdefault(key, {"cls": cls, "label": label, "names": set(), "qid": None,
                                                    "confidence": None})
            for span in spans:
                ent["names"].add(span.text)
                m = Span(doc, span.start, span.end, label=cls)
                m._.kg_entity = key
                m._.kg_source = span._.kg_source
                group.append(m)
        doc.spans[MENTIONS] = sorted(group, key=lambda s: s.start)

    def canon(self, surface: str) -> str | None:
        """The canonical name of a short form; a form of three letters or fewer only when written in capitals
        ("US", "U.S.", not the pronoun "Us" of a magazine's name)."""
        letters = surface.replace(".", "")
        if len(letters) <= 3 and not letters.isupper():
            return None
        return self.canonical.get(mention_key(surface))

    def canonical_label(self, root: str, spans: list[Span]) -> str:
        for span in spans:
            canon = self.canon(span.text)
            if canon:
                return canon
        names = [self.cues.name_of(s.label_, s.text) for s in spans]
        return max(names, key=lambda t: (len(t.split()), len(t), t))


def _dedupe(spans: list[Span]) -> list[Span]:
    """Drop mentions overlapping an earlier, longer one (spans are sorted by start, longest first)."""
    out, last_end = [], -1
    for span in spans:
        if span.start >= last_end:
            out.append(span)
            last_end = span.end
    return out


@Language.factory("kg_aliases", assigns=["doc.spans", "doc._.kg_entities"],
                  default_config={"aliases": "aliases.json", "cues": CUE_FILES})
def make_kg_aliases(nlp: Language, name: str, aliases: str, cues: dict) -> Aliases:
    return Aliases(nlp, name, aliases, cues)
