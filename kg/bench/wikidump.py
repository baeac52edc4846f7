"""A synthetic Wikidata JSON dump: items in the exact shape of ``latest-all.json`` (one entity per line inside a
JSON array), with the weight and the class mix of the real dump, so that `kg kb build` can be measured at the
scale of millions of items without downloading 130 GB.

The mix follows the real dump's largest classes (scholarly articles, people, Wikimedia categories, taxa,
astronomical objects, places, organisations, events, other works); each kind gets label, description, alias,
claim (with references) and sitelink counts of its real counterpart, which gives ~17 KB per item on average.
Names are drawn from syllables, so they collide the way real names do (many "Lorana"s), and the generator is
deterministic for a given seed. Items are numbered from Q200,000,001 (above every real QID), so a KB built from a real
source and this dump keeps both. With :class:`Namesakes`, a share of the people, places and organisations take the
name of a real item of their kind (read from a KB file in place, never stored here), with a country among the real
ones and a heavy-tailed sitelink count: the ambiguity a linker meets in the full dump.
Run: ``python -m kg.bench.wikidump OUT.json.gz --items 1000000 [--namesakes KB.sqlite]``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


LANGS = ("en de fr es it nl pl ru ja zh pt sv uk ca ar fa cs hu fi ko he tr id ro vi no da el bg sr eu hy be "
         "ms eo et sk sl lt lv hr gl ka ta th hi bn uz kk az ur cy ga la oc af sq is mk").split()
SYL = ("ka ri lo ma na ta be do fi gu he ja ke li mo nu pa ra se ti vo we xa yo zu an el or un ist ber "
       "gan mar tin vel ros dor kal men sol var").split()


@dataclass(frozen=True)
class Kind:
    """One class of items and the size of its parts (ranges: min, max)."""
    name: str
    share: float
    p31: tuple[str, ...]
    labels: tuple[int, int]
    descriptions: tuple[int, int]
    aliases: tuple[int, int]
    claims: tuple[int, int]
    sitelinks: tuple[int, int]


KINDS = (
    Kind("scholarly article", 0.36, ("Q13442814",), (1, 3), (8, 30), (0, 0), (25, 70), (0, 0)),
    Kind("human", 0.12, ("Q5",), (3, 60), (2, 25), (0, 4), (8, 40), (0, 25)),
    Kind("category", 0.06, ("Q4167836",), (5, 40), (1, 3), (0, 0), (1, 3), (1, 20)),
    Kind("taxon", 0.04, ("Q16521",), (1, 20), (1, 10), (0, 1), (6, 20), (0, 10)),
    Kind("astronomical object", 0.08, ("Q523", "Q318", "Q3863"), (1, 3), (5, 30), (1, 4), (8, 20), (0, 1)),
    Kind("place", 0.08, ("Q532", "Q515", "Q486972", "Q3957"), (3, 60), (2, 15), (0, 3), (6, 25), (0, 40)),
    Kind("organisation", 0.03, ("Q4830453", "Q43229", "Q7278", "Q163740"), (2, 30), (1, 8), (0, 3), (4, 20),
         (0, 20)),
    Kind("event", 0.01, ("Q1190554", "Q1656682", "Q40231"), (2, 30), (1, 8), (0, 2), (4, 15), (0, 15)),
    Kind("other", 0.22, ("Q3305213", "Q79007", "Q7187", "Q8054", "Q11173", "Q11424", "Q482994"), (1, 15),
         (1, 20), (0, 2), (5, 25), (0, 8)),
)
FIRST_QID = 200_000_000
CLAIM_PROPS = ("P50", "P2860", "P2093", "P106", "P27", "P735", "P734", "P361", "P279", "P1343", "P921", "P921")


@dataclass(frozen=True)
class Namesakes:
    """Real names per kind ("human", "place", "organisation"), real country QIDs, and the share of items of those
    kinds that take a real name."""
    names: dict[str, list[str]]
    countries: list[str]
    share: float = 0.5

    @classmethod
    def from_kb(cls, path: Path, share: float = 0.5) -> "Namesakes":
        """Labels of a built KB's people, places and organisations, by the class its linker gives them."""
        import sqlite3

        from ..linking.rules import load_classes

        kinds = {"Person": "human", "Place": "place", "Organisation": "organisation"}
        classes = load_classes()
        db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        p31: dict[str, list[str]] = {}
        for qid, value in db.execute("SELECT qid, value FROM claims WHERE prop = 'P31' ORDER BY qid, value"):
            p31.setdefault(qid, []).append(value)
        names: dict[str, list[str]] = {k: [] for k in kinds.values()}
        for qid, label in db.execute("SELECT qid, label FROM items WHERE label IS NOT NULL ORDER BY qid"):
            kind = kinds.get(classes.class_of(p31.get(qid, ())))
            if kind:
                names[kind].append(label)
        countries = sorted(q for q, values in p31.items() if "Q6256" in values)
        db.close()
        return cls(names, countries, share)

    def sitelinks(self, rng: random.Random, most: int) -> int:
        """Most namesakes have no or one sitelink, one in twenty has ten or more (Pareto tail, as in Wikidata)."""
        return min(most, int(rng.paretovariate(1.2)) - 1)


def _name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(words))


def _snak(prop: str, value, vtype: str, datatype: str, rng: random.Random) -> dict:
    return {"snaktype": "value", "property": prop, "hash": f"{rng.getrandbits(160):040x}",
            "datavalue": {"value": value, "type": vtype}, "datatype": datatype}


def _item_value(qid: int) -> dict:
    return {"entity-type": "item", "numeric-id": qid, "id": f"Q{qid}"}


def _statement(snak: dict, rng: random.Random, references: int) -> dict:
    st = {"mainsnak": snak, "type": "statement", "id": f"Q1${rng.getrandbits(128):032x}", "rank": "normal"}
    if references:
        st["references"] = [{"hash": f"{rng.getrandbits(160):040x}", "snaks": {
            "P248": [_snak("P248", _item_value(rng.randint(1, 10**8)), "wikibase-entityid", "wikibase-item", rng)],
            "P813": [_snak("P813", {"time": "+2024-05-01T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
                                    "precision": 11, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"},
                           "time", "time", rng)]}, "snaks-order": ["P248", "P813"]} for _ in range(references)]
    return st


def _dumped(rng: random.Random, prop: str, value, vtype: str, datatype: str) -> str:
    return json.dumps(_statement(_snak(prop, value, vtype, datatype, rng), rng, rng.randint(0, 1)),
                      separators=(",", ":"))


class _Pool:
    """Serialised statements to draw from: building every statement anew would make the generator, not the
    builder, the slow part of the benchmark. Items differ in which statements and how many they draw."""

    def __init__(self, rng: random.Random, size: int = 256):
        dumped = lambda *snak: _dumped(rng, *snak)

        item = lambda p: [dumped(p, _item_value(rng.randint(1, 10**8)), "wikibase-entityid", "wikibase-item")
                          for _ in range(size)]
        other = {p: ([dumped(p, _name(rng, 2), "string", "string") for _ in range(size)] if p == "P2093"
                     else item(p)) for p in CLAIM_PROPS}
        # (property, statement) pairs in random order; an item takes a random run of them (two draws, not 2n)
        self.other = [(p, rng.choice(other[p])) for _ in range(8 * size) for p in [rng.choice(CLAIM_PROPS)]]
        self.p31 = {q: dumped("P31", _item_value(int(q[1:])), "wikibase-entityid", "wikibase-item")
                    for kind in KINDS for q in kind.p31}
        self.country = {p: [dumped(p, _item_value(rng.randint(1, 300)), "wikibase-entityid", "wikibase-item")
                            for _ in range(size)] for p in ("P17", "P27")}
        self.coords = [dumped("P625", {"latitude": rng.uniform(-60, 70), "longitude": rng.uniform(-180, 180),
                                       "altitude": None, "precision": 0.0001,
                                       "globe": "http://www.wikidata.org/entity/Q2"}, "globecoordinate",
                              "globe-coordinate") for _ in range(size)]
        self.population = [dumped("P1082", {"amount": f"+{rng.randint(100, 10**6)}", "unit": "1"}, "quantity",
                                  "quantity") for _ in range(size)]
        self.linked: dict[tuple[str, str], str] = {}

    def statement(self, prop: str, qid: str, rng: random.Random) -> str:
        """A statement of ``prop`` pointing at item ``qid`` (made once per pair)."""
        if (prop, qid) not in self.linked:
            self.linked[prop, qid] = _dumped(rng, prop, _item_value(int(qid[1:])), "wikibase-entityid",
                                             "wikibase-item")
        return self.linked[prop, qid]


def item(n: int, kind: Kind, rng: random.Random, pool: _Pool, namesakes: Namesakes | None = None) -> str:
    """Item Q{FIRST_QID + n} of ``kind`` as one line of the dump's JSON."""
    qid = f"Q{FIRST_QID + n}"
    words = 6 if kind.name == "scholarly article" else (1 if kind.name in ("taxon", "astronomical object") else 2)
    label = _name(rng, rng.randint(1, words) if words > 2 else words)
    real = namesakes and namesakes.names.get(kind.name) and rng.random() < namesakes.share
    if real:
        label = rng.choice(namesakes.names[kind.name])
    langs = rng.sample(LANGS, min(len(LANGS), rng.randint(*kind.labels)))
    if "en" not in langs and rng.random() < 0.85:
        langs[0] = "en"
    labels = {lang: {"language": lang, "value": label} for lang in langs}
    if rng.random() < 0.1:
        labels["mul"] = {"language": "mul", "value": label}
    year = rng.randint(1800, 2025)
    descr = {lang: {"language": lang, "value": f"{kind.name} {year} ({lang})"}
             for lang in rng.sample(LANGS, min(len(LANGS), rng.randint(*kind.descriptions)))}
    aliases = {}
    if kind.aliases[1] and (count := rng.randint(*kind.aliases)):
        aliases["en"] = [{"language": "en", "value": _name(rng, 2)} for _ in range(count)]
    claims: dict[str, list[str]] = {"P31": [pool.p31[rng.choice(kind.p31)]]}
    if kind.name in ("place", "organisation", "human", "event"):
        prop = "P27" if kind.name == "human" else "P17"
        claims[prop] = [rng.choice(pool.country[prop])]
        if real and namesakes.countries:
            claims[prop] = [pool.statement(prop, rng.choice(namesakes.countries), rng)]
    if kind.name == "place":
        claims["P625"] = [rng.choice(pool.coords)]
        claims["P1082"] = [rng.choice(pool.population)]
    count = rng.randint(*kind.claims)
    start = rng.randrange(len(pool.other) - count)
    for prop, statement in pool.other[start:start + count]:
        claims.setdefault(prop, []).append(statement)
    count = namesakes.sitelinks(rng, kind.sitelinks[1]) if real else rng.randint(*kind.sitelinks)
    sites = rng.sample(LANGS, min(len(LANGS), count))
    sitelinks = {f"{s}wiki": {"site": f"{s}wiki", "title": label, "badges": []} for s in sites}
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    claims_json = ",".join(f'"{p}":[{",".join(sts)}]' for p, sts in claims.items())
    return (f'{{"type":"item","id":"{qid}","labels":{dump(labels)},"descriptions":{dump(descr)},'
            f'"aliases":{dump(aliases)},"claims":{{{claims_json}}},"sitelinks":{dump(sitelinks)},'
            f'"pageid":{n + 100},"ns":0,"title":"{qid}","lastrevid":{2_000_000_000 + n},'
            f'"modified":"2024-05-01T00:00:00Z"}}')


def _compressor(path: Path, level: int):
    """A writable stream into ``path``: gzip by pigz on another core when installed, else in-process; plain
    when the name does not end in .gz."""
    if not str(path).endswith(".gz"):
        return open(path, "wb"), None
    if shutil.which("pigz"):
        out = open(path, "wb")
        proc = subprocess.Popen(["pigz", f"-{level}", "-c"], stdin=subprocess.PIPE, stdout=out)
        out.close()
        return proc.stdin, proc
    return gzip.open(path, "wb", compresslevel=level), None


def write_dump(path: Path, items: int, seed: int = 1, level: int = 1, namesakes: Namesakes | None = None) -> int:
    """Write ``items`` items to ``path`` (.gz compressed at ``level``, else plain); returns bytes of JSON."""
    rng = random.Random(seed)
    weights, pool = [k.share for k in KINDS], _Pool(rng)
    out, proc = _compressor(Path(path), level)
    size = 0
    with out:
        out.write(b"[\n")
        for n in range(1, items + 1):
            line = (item(n, rng.choices(KINDS, weights)[0], rng, pool, namesakes) + (",\n" if n < items else "\n")).encode()
            size += len(line)
            out.write(line)
        out.write(b"]\n")
    if proc is not None and proc.wait():
        raise OSError(f"pigz failed writing {path}")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--namesakes", type=Path, help="a KB file whose people, places and organisations lend "
                        "their names to half of the synthetic ones")
    args = parser.parse_args()
    size = write_dump(args.output, args.items, args.seed,
                      namesakes=Namesakes.from_kb(args.namesakes) if args.namesakes else None)
    print(f"{args.output}: {args.items:,} items, {size / args.items / 1024:.1f} KB of JSON per item")


if __name__ == "__main__":
    main()
