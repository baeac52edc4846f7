"""Score typed mentions and links against gold, by the rules of ../shared/gold/README.md (pure: no spaCy, no I/O).

A gold record is a dict (text, evaluation_span, labels); a prediction is (start, end, cls, qid[, evidence[, sameas]])
with character offsets into the record's text, cls one of our four classes, evidence what decided the link (a
string, shown by ``kg eval --errors``) and sameas False for a QID that is not an ``owl:sameAs`` of the mention's
own entity (a nationality word pointing at its country: left out of link precision).

Link precision counts every QID we output (``owl:sameAs``): among true positives (right span and class), and over
all predictions inside the evaluation span, where a link is right when a gold label overlapping the span carries
that QID (gold is exhaustive there: a link on a span gold leaves unannotated, or inside a longer name with another
QID, "U.S." in "U.S. Congress", is wrong).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Wikidata class QIDs of the gold `type` field -> our classes.
GOLD_CLASSES = {"Q215627": "Person", "Q27096213": "Place", "Q43229": "Organisation", "Q1656682": "Event"}
CLASS_NAMES = ("Person", "Place", "Organisation", "Event")
NONE = "-"  # the confusion table's row/column for "no mention there"

_QID = re.compile(r"^Q\d+$")
_PRONOUNS = frozenset("""i me my mine myself you your yours yourself yourselves he him his himself she her hers herself
it its itself we us our ours ourselves they them their theirs themselves who whom whose which that this these those
one""".split())
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def norm_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets after trimming whitespace and a leading "the "/"The " (rule 2)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if text[start:start + 4] in ("the ", "The "):
        start += 4
        while start < end and text[start].isspace():
            start += 1
    return start, end


def _named(surface: str) -> bool:
    words = _ARTICLE.sub("", surface.strip()).split()
    if not words or (len(words) == 1 and words[0].lower() in _PRONOUNS):
        return False
    return any(w[:1].isupper() for w in words)


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    classes: frozenset
    qid: str | None
    counts: bool


def gold_mentions(record: dict) -> list[GoldMention]:
    """Every gold label inside the evaluation span, each marked whether it counts (rule 1)."""
    text = record["text"]
    lo, hi = record["evaluation_span"]
    out = []
    for label in record["labels"]:
        s, e = label["span"]
        if s < lo or e > hi:
            continue
        qid = label["entity_id"] if _QID.match(label["entity_id"] or "") else None
        classes = frozenset(GOLD_CLASSES[t] for t in label["type"].split("|") if t in GOLD_CLASSES)
        counts = bool(qid and classes and not label.get("coref") and _named(text[s:e]))
        out.append(GoldMention(*norm_span(text, s, e), classes, qid, counts))
    return out


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)   # per class
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    confusion: Counter = field(default_factory=Counter)  # (gold class, predicted class) -> n
    linked: int = 0           # true positives whose predicted QID is the gold QID
    in_kb: int = 0            # true positives whose gold QID is in the KB
    linked_in_kb: int = 0
    out_kb: int = 0           # true positives whose gold QID is not in the KB
    nil_out_kb: int = 0       # ... that were rightly left unlinked (NIL precision)
    links_tp: int = 0         # true positives with a predicted QID (owl:sameAs on rightly found mentions)
    links_tp_right: int = 0
    links: int = 0            # predictions with a QID inside the evaluation span
    links_right: int = 0
    errors: list = field(default_factory=list)  # (kind, record id, start, end, class, context)
    link_errors: list = field(default_factory=list)  # (record id, start, end, surface, qid, gold QIDs, evidence)
    link_misses: list = field(default_factory=list)  # true positives in the KB not linked to the gold QID, same shape
    parts: dict = field(default_factory=dict)  # part name (a half of the fixed split) -> its own Scores

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def overall(self) -> tuple[float, float, float]:
        return self.prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    def per_class(self, cls: str) -> tuple[float, float, float]:
        return self.prf(self.tp[cls], self.fp[cls], self.fn[cls])

    def linking(self) -> tuple[float | None, float | None]:
        """Linking accuracy over all true positives, and over those whose gold QID is in the KB."""
        tp = sum(self.tp.values())
        return (self.linked / tp if tp else None, self.linked_in_kb / self.in_kb if self.in_kb else None)

    def link_precision(self) -> tuple[float | None, float | None]:
        """Share of right links among the links on true positives, and among all links inside the evaluation span."""
        return (self.links_tp_right / self.links_tp if self.links_tp else None,
                self.links_right / self.links if self.links else None)

    def nil_precision(self) -> float | None:
        """Of the true positives whose gold QID the KB lacks, the share left unlinked."""
        return self.nil_out_kb / self.out_kb if self.out_kb else None


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[[{text[start:end]}]]{right}…"


def score_record(scores: Scores, record: dict, predictions, kb_qids=None, part: str | None = None) -> None:
    """Add one article's outcome to ``scores`` (rule 3), and to ``scores.parts[part]`` when the article belongs to
    a part of the split; the first prediction on a span wins."""
    predictions = list(predictions)
    if part is not None:
        score_record(scores.parts.setdefault(part, Scores()), record, predictions, kb_qids)
    text = record["text"]
    lo, hi = record["evaluation_span"]
    gold = gold_mentions(record)
    counting = {}
    for g in gold:
        if g.counts:
            prev = counting.get((g.start, g.end))
            counting[(g.start, g.end)] = g if prev is None else GoldMention(
                g.start, g.end, prev.classes | g.classes, prev.qid, True)
    ignored = [g for g in gold if not g.counts]
    hit, seen = set(), set()
    for start, end, cls, qid, *more in predictions:
        evidence, sameas = (more[0] if more else None), (more[1] if len(more) > 1 else True)
        start, end = norm_span(text, start, end)
        if start < lo or end > hi or (start, end) in seen:
            continue
        seen.add((start, end))
        if qid and sameas:
            _judge_link(scores, record, gold, start, end, qid, evidence)
        g = counting.get((start, end))
        if g is not None and cls in g.classes:
            hit.add((start, end))
            scores.tp[cls] += 1
            scores.confusion[(cls, cls)] += 1
            scores.linked += qid == g.qid
            scores.links_tp += bool(qid and sameas)
            scores.links_tp_right += bool(qid and sameas) and qid == g.qid
            if kb_qids is not None and g.qid in kb_qids:
                scores.in_kb += 1
                scores.linked_in_kb += qid == g.qid
                if qid != g.qid:
                    scores.link_misses.append((record.get("id"), start, end, text[start:end], qid, g.qid, evidence))
            elif kb_qids is not None:
                scores.out_kb += 1
                scores.nil_out_kb += qid is None
            continue
        if g is None and any(i.start < end and start < i.end for i in ignored):
            continue
        if g is None:
            scores.confusion[(NONE, cls)] += 1
        else:
            scores.confusion[(_first(g.classes), cls)] += 1
        scores.fp[cls] += 1
        scores.errors.append(("FP", record.get("id"), start, end, cls, _context(text, start, end)))
    for (start, end), g in counting.items():
        if (start, end) in hit:
            continue
        cls = _first(g.classes)
        scores.fn[cls] += 1
        if (start, end) not in seen:
            scores.confusion[(cls, NONE)] += 1
        scores.errors.append(("FN", record.get("id"), start, end, "|".join(sorted(g.classes)),
                              _context(text, start, end)))


def _judge_link(scores: Scores, record: dict, gold: list[GoldMention], start: int, end: int, qid: str,
                evidence) -> None:
    """A predicted link is right when a gold label overlapping its span has that QID."""
    overlapping = {g.qid or "NIL" for g in gold if g.start < end and start < g.end}
    scores.links += 1
    if qid in overlapping:
        scores.links_right += 1
    else:
        scores.link_errors.append((record.get("id"), start, end, record["text"][start:end], qid,
                                   "|".join(sorted(overlapping)) or "no gold entity", evidence))


def _first(classes) -> str:
    """The class a multi-class gold mention is charged to in per-class figures (fixed order)."""
    return next(c for c in CLASS_NAMES if c in classes)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _link_figures(s: Scores) -> str:
    tp_prec, all_prec = s.link_precision()
    return (f"link precision {_fmt(tp_prec)} on TP ({s.links_tp}), {_fmt(all_prec)} overall ({s.links})  "
            f"in-KB accuracy {_fmt(s.linking()[1])} ({s.in_kb} in KB)  NIL precision {_fmt(s.nil_precision())} "
            f"({s.out_kb} not in KB)")


def render_text(rows: list[tuple[str, Scores, float]]) -> str:
    """Figures per system: overall and per-class P/R/F1, linking, time, each part of the split; then the last
    system's confusion table."""
    lines = []
    for name, s, seconds in rows:
        p, r, f = s.overall()
        lines.append(f"{name}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {sum(s.tp.values())} fp {sum(s.fp.values())} "
                     f"fn {sum(s.fn.values())})  linking {_fmt(s.linking()[0])}  {seconds:.1f} CPU s")
        lines.append(f"  {_link_figures(s)}")
        for cls in CLASS_NAMES:
            cp, cr, cf = s.per_class(cls)
            lines.append(f"  {cls:<13} P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}  (tp {s.tp[cls]} fp {s.fp[cls]} fn {s.fn[cls]})")
        for part, ps in sorted(s.parts.items()):
            pp, pr, pf = ps.overall()
            lines.append(f"  half {part}: P {pp:.3f}  R {pr:.3f}  F1 {pf:.3f}  {_link_figures(ps)}")
    if len(rows) > 1:
        lines.append(f"speed: {rows[-1][2] / rows[0][2]:.2f}x the first row's time")
    s = rows[-1][1]
    cols = CLASS_NAMES + (NONE,)
    lines.append("confusion (rows gold, columns predicted; - = none):")
    lines.append(" " * 14 + "".join(f"{c[:12]:>13}" for c in cols))
    for g in cols:
        lines.append(f"{g[:13]:<14}" + "".join(f"{s.confusion[(g, c)]:>13}" for c in cols))
    return "\n".join(lines)


def render_markdown(rows: list[tuple[str, Scores, float]], gold_name: str) -> str:
    """The table for the docs: one row per system and part (all, then each half), P/R/F1 overall and per class,
    link precision, in-KB accuracy, NIL precision and time."""
    head = ["system", "part", "P", "R", "F1"] + [f"F1 {c}" for c in CLASS_NAMES] + [
        "link prec. (TP)", "link prec. (all)", "in-KB acc.", "NIL prec.", "CPU s"]
    out = [f"Typed mentions on `{gold_name}` (rules: ../shared/gold/README.md)", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, s, seconds in rows:
        for part, ps in [("all", s), *((f"half {k}", v) for k, v in sorted(s.parts.items()))]:
            cells = [name, part, *(f"{x:.3f}" for x in ps.overall())]
            cells += [f"{ps.per_class(c)[2]:.3f}" for c in CLASS_NAMES]
            cells += [_fmt(x) for x in ps.link_precision()]
            cells += [_fmt(ps.linking()[1]), _fmt(ps.nil_precision()), f"{seconds:.1f}" if part == "all" else ""]
            out.append("| " + " | ".join(cells) + " |")
    if len(rows) > 1:
        out += ["", f"Extraction time ratio (last / first row): {rows[-1][2] / rows[0][2]:.2f}x"]
    return "\n".join(out)
