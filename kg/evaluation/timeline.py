"""`kg eval --timeline DIR`: entity timelines built from the graph, scored against gold timelines.

The gold format and the scoring rules are those of ../shared/gold/timeline-trial/README.md. The unit on both sides
is an event *mention*: gold lists each mention of a happening; the system's mentions are the trigger phrases of its
event nodes (an event stated three times in an article is one node with three kg:trigger phrases, each a mention
with that node's participants and date). Scores are reported per fixed half of the articles (ids in
data/timeline_split.json) and overall. Pure scoring apart from :func:`load_gold` (reads DIR) and
:func:`graph_mentions` (one SPARQL query over a KnowledgeGraph's store) and :func:`run` (ingests into a temporary
store).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

# Participant roles of the ontology a target can take in an event (rule 1 of the README).
PARTICIPANTS = ("sem:hasActor", "sem:hasPlace", "kg:hasParticipant")

_QUERY = """
SELECT ?doc ?event ?b ?e ?name ?date WHERE {
  ?a kg:reportsEvent ?event ; dcterms:identifier ?doc .
  ?event kg:trigger ?t ; %s ?p .
  ?t nif:beginIndex ?b ; nif:endIndex ?e .
  ?p rdfs:label|skos:altLabel ?name .
  OPTIONAL { ?event sem:hasTime/kg:dateValue ?date }
}""" % "|".join(PARTICIPANTS)


@dataclass(frozen=True)
class Gold:
    target: str
    doc: str
    sentence: int
    word: str
    date: tuple           # (year, month, day), None for unknown parts
    tokens: tuple         # (begin, end) of every token of the word's occurrences in its sentence


@dataclass(frozen=True)
class Mention:
    """One system (or baseline) event mention in a target's timeline."""
    target: str
    doc: str
    begin: int
    end: int
    date: str | None      # "2008-06-09", "2008-06", "2008" or None


@dataclass
class Scores:
    gold: int = 0
    system: int = 0
    matched: int = 0
    date_strict: int = 0
    date_lenient: int = 0
    order_pairs: int = 0
    order_agree: int = 0
    misses: list = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def precision(self) -> float:
        return self._ratio(self.matched, self.system)

    @property
    def recall(self) -> float:
        return self._ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str) -> str:
        return (f"{name:<22} {self.gold:>5} {self.system:>6} {self.matched:>5}  {self.precision:.3f} {self.recall:.3f} "
                f"{self.f1:.3f}  {self._ratio(self.date_strict, self.matched):.3f} "
                f"{self._ratio(self.date_lenient, self.matched):.3f}  "
                f"{self._ratio(self.order_agree, self.order_pairs):.3f} ({self.order_pairs})")


HEADER = (f"{'timeline':<22} {'gold':>5} {'system':>6} {'match':>5}  P     R     F1     date   date   order\n"
          f"{'':<22} {'':>5} {'':>6} {'':>5}  {'':<18} strict lenient agreement (pairs)")


def parse_date(text: str) -> tuple:
    """'2008-06-XX' -> (2008, 6, None); anything malformed counts as wholly unknown."""
    m = re.fullmatch(r"(\d{4}|X{4})(?:-(\d{1,2}|XX))?(?:-(\d{1,2}|XX))?", text.strip())
    if not m:
        return (None, None, None)
    return tuple(int(g) if g and g.isdigit() else None for g in m.groups())


def load_gold(directory: str | Path) -> tuple[list[dict], list[str], list[Gold]]:
    """(articles, targets, gold event mentions) from a timeline directory (README format)."""
    root = Path(directory)
    try:
        articles = [json.loads(line) for line in (root / "articles.jsonl").read_text(encoding="utf-8").splitlines()
                    if line.strip()]
        tokens = json.loads((root / "tokens.json").read_text(encoding="utf-8"))
        targets = [t.strip() for t in (root / "targets.txt").read_text(encoding="utf-8").splitlines() if t.strip()]
        files = sorted((root / "timelines").glob("*.txt"))
    except (OSError, ValueError) as exc:
        raise InputError(str(root), f"not a timeline gold directory ({exc})") from exc
    gold: dict[tuple, Gold] = {}  # a mention listed twice in one timeline counts once (at its first date)
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        target = lines[0].strip()
        for n, line in enumerate(lines[1:], 2):
            cols = line.split("\t")
            if len(cols) < 3:
                continue
            for ref in cols[2:]:
                doc, sent, word = ref.split("-", 2)
                if doc not in tokens:
                    continue  # an article missing from the corpus (the README's trial article 9590): left out
                sentence = tokens[doc].get(sent)
                if sentence is None:
                    raise InputError(f"{path}:{n}", f"event {ref} names no sentence in tokens.json")
                gold.setdefault((target, doc, sent, word), Gold(target, doc, int(sent), word, parse_date(cols[1]),
                                                                _word_tokens(sentence, word)))
    return articles, targets, list(gold.values())


def _word_tokens(sentence: list, word: str) -> tuple:
    parts = [p.lower() for p in word.split("_")]
    words = [w.lower() for w, _, _ in sentence]
    out = []
    for i in range(len(words) - len(parts) + 1):
        if words[i:i + len(parts)] == parts:
            out.extend((b, e) for _, b, e in sentence[i:i + len(parts)])
    return tuple(out)


def names_target(name: str, target: str) -> bool:
    """Rule 1: the name contains the target's words as a contiguous run, ignoring case."""
    words, want = name.casefold().split(), target.casefold().split()
    return any(words[i:i + len(want)] == want for i in range(len(words) - len(want) + 1))


def graph_mentions(kg, targets: list[str]) -> list[Mention]:
    """Every trigger mention of every event with a participant naming a target, from a KnowledgeGraph's store
    (the union of its graphs)."""
    from ..namespaces import sparql_prologue

    events: dict[tuple, dict] = {}
    for row in kg.query(sparql_prologue() + _QUERY):
        key = (row["doc"].value, row["event"].value, int(row["b"].value), int(row["e"].value))
        entry = events.setdefault(key, {"names": set(), "dates": set()})
        entry["names"].add(row["name"].value)
        if row["date"] is not None:
            entry["dates"].add(row["date"].value)
    out = []
    for (doc, _, b, e), entry in sorted(events.items()):
        date = max(entry["dates"], key=lambda d: (len(d), d), default=None)  # the most specific
        for target in targets:
            if any(names_target(n, target) for n in entry["names"]):
                out.append(Mention(target, doc, b, e, date))
    return out


def verb_baseline(docs: dict, dates: dict, targets: list[str]) -> list[Mention]:
    """The README's baseline: every VERB of a sentence whose text names the target, dated with the article date."""
    out = []
    for doc_id, doc in docs.items():
        for sent in doc.sents:
            for target in targets:
                if target.casefold() in sent.text.casefold():
                    out.extend(Mention(target, doc_id, t.idx, t.idx + len(t), dates.get(doc_id))
                               for t in sent if t.pos_ == "VERB")
    return out


def _interval(date: tuple) -> tuple[dt.date, dt.date] | None:
    y, m, d = date
    if y is None:
        return None
    if m is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if d is None:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return dt.date(y, m, 1), nxt - dt.timedelta(days=1)
    return dt.date(y, m, d), dt.date(y, m, d)


def date_right(system: str | None, gold: tuple, strict: bool) -> bool:
    if gold[0] is None:
        return system is None or not strict
    if system is None:
        return False
    have = parse_date(system)
    return all(g is None or h == g for g, h in zip(gold, have))


def _before(a: tuple | None, b: tuple | None) -> bool | None:
    """True/False when the intervals are disjoint (a before b or after), None when they overlap or one is missing."""
    if a is None or b is None:
        return None
    if a[1] < b[0]:
        return True
    if b[1] < a[0]:
        return False
    return None


def score(gold: list[Gold], system: list[Mention], docs: set[str] | None = None) -> Scores:
    """Rules 2-4 of the README over the articles ``docs`` (None: all)."""
    gold = [g for g in gold if docs is None or g.doc in docs]
    system = [m for m in system if docs is None or m.doc in docs]
    s = Scores(gold=len(gold), system=len(system))
    for target in sorted({g.target for g in gold} | {m.target for m in system}):
        free = [g for g in gold if g.target == target]
        pairs = []
        for m in sorted((m for m in system if m.target == target), key=lambda m: (m.doc, m.begin, m.end)):
            hit = next((g for g in free if g.doc == m.doc and any(m.begin <= b and e <= m.end for b, e in g.tokens)),
                       None)
            if hit is None:
                continue
            free.remove(hit)
            pairs.append((hit, m))
            s.matched += 1
            s.date_strict += date_right(m.date, hit.date, strict=True)
            s.date_lenient += date_right(m.date, hit.date, strict=False)
        s.misses.extend(free)
        for i, (g1, m1) in enumerate(pairs):
            for g2, m2 in pairs[i + 1:]:
                gold_order = _before(_interval(g1.date), _interval(g2.date))
                if gold_order is None:
                    continue
                s.order_pairs += 1
                sys1 = _interval(parse_date(m1.date)) if m1.date else None
                sys2 = _interval(parse_date(m2.date)) if m2.date else None
                s.order_agree += _before(sys1, sys2) == gold_order
    return s


def halves() -> dict[str, list[str]]:
    """The fixed split of the trial articles into two halves (ids only)."""
    from ..data import load_json

    return load_json("timeline_split.json")


def report(gold: list[Gold], systems: list[tuple[str, list[Mention]]]) -> list[str]:
    """Text table: each system per half and overall."""
    lines = [HEADER]
    split = halves()
    for name, mentions in systems:
        for half, ids in split.items():
            lines.append(score(gold, mentions, set(ids)).row(f"{name}, half {half}"))
        lines.append(score(gold, mentions).row(f"{name}, all"))
    return lines


def run(directory: str | Path, model: str | None = None, baseline: bool = False) -> list[str]:
    """Ingest the directory's articles into a fresh on-disk store (no linking) and score the timelines built
    from it; with ``baseline`` also the verb baseline, on the same pipeline's parses."""
    import tempfile

    from ..readers.article import Article
    from ..graph import KnowledgeGraph

    records, targets, gold = load_gold(directory)
    articles = [Article(identifier=str(r["id"]), text=r["text"], title=r.get("title"), date=r.get("date"))
                for r in records]
    with tempfile.TemporaryDirectory() as tmp, KnowledgeGraph(str(Path(tmp) / "store"), model=model,
                                                              linker="none") as kg:
        kg.ingest(articles)
        systems = [("kg events", graph_mentions(kg, targets))]
        if baseline:
            docs = dict(zip((a.identifier for a in articles), kg.nlp.pipe(a.text for a in articles)))
            systems.insert(0, ("verb baseline", verb_baseline(docs, {a.identifier: a.date for a in articles},
                                                              targets)))
    return report(gold, systems)
