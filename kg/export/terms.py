"""How our Turtle, TriG and JSON-LD exports write terms: prefixed names for our own namespaces (derived from the
base IRI: ``article:``, ``entity:``, ``person:``, ...) and the ontology's (``kg:``, ``schema:``, ``nif:``, ...);
IRIs relative to ``@base`` where a prefixed name would need escapes (mention fragments such as
``<article/x-1a2b#char=18,31>``); bare numbers and booleans; multi-line text in long strings. Also the natural
sort key that puts an article's mentions in text order (char=18 before char=100).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from ..errors import KGError
from ..mapping.iris import Minter
from ..namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")  # a Turtle PN_LOCAL that needs no escapes
_SEGMENT = r"[A-Za-z0-9_~%-]+(?:\.[A-Za-z0-9_~%-]+)*"                  # never '.', '..' nor a scheme
_RELATIVE = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*(?:#[^\s<>\"{{}}|^`\\]*)?")
_SHORT = {f"{XSD}integer": re.compile(r"[+-]?[0-9]+"), f"{XSD}decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
          f"{XSD}boolean": re.compile(r"true|false")}  # lexical forms Turtle writes bare, unchanged on parsing
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,19})")                  # canonical, so JSON-LD gives it back as is
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DIGITS = re.compile(r"([0-9]+)")


@lru_cache(maxsize=1 << 16)  # predicates and entities come back on every other line
def natural_key(text: str) -> tuple:
    """Sort key comparing digit runs as numbers: '#char=18,31' before '#char=100,120'."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(text)))


class Terms:
    """Writes terms for one base IRI; IRIs are cached (entities and predicates repeat on every line)."""

    def __init__(self, base_iri: str):
        self.base = base_iri
        self.prefixes = Minter(base_iri).namespaces() | {p: str(ns) for p, ns in PREFIXES.items()}
        # longest namespace first, so person: wins over entity: for .../entity/person/...
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._turtle: dict[str, str] = {}
        self._json: dict[str, str] = {}

    def _split(self, iri: str, local_ok) -> tuple[str, str] | None:
        for prefix, ns in self._by_length:
            if iri.startswith(ns) and local_ok(iri[len(ns):]):
                return prefix, iri[len(ns):]
        return None

    # --- Turtle / TriG
    def header(self) -> str:
        lines = [f"@base <{self.base}> ."] + [f"@prefix {p}: <{ns}> ." for p, ns in self.prefixes.items()]
        return "\n".join(lines) + "\n\n"

    def iri(self, iri: str) -> str:
        text = self._turtle.get(iri)
        if text is None:
            split = self._split(iri, _LOCAL.fullmatch)
            if split:
                text = f"{split[0]}:{split[1]}"
            elif iri.startswith(self.base) and _RELATIVE.fullmatch(iri[len(self.base):]):
                text = f"<{iri[len(self.base):]}>"
            else:
                text = str(ox.NamedNode(iri))
            self._turtle[iri] = text
        return text

    def turtle(self, term) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return self._literal(term)
        return str(term)  # blank node: _:label

    def _literal(self, lit: ox.Literal) -> str:
        dt = lit.datatype.value
        short = _SHORT.get(dt)
        if short and short.fullmatch(lit.value):
            return lit.value
        text = _long_string(lit.value) if "\n" in lit.value else str(ox.Literal(lit.value))
        if lit.language:
            return f"{text}@{lit.language}"
        return text if dt == f"{XSD}string" else f"{text}^^{self.iri(dt)}"

    # --- JSON-LD
    def context(self) -> dict:
        return dict(self.prefixes)

    def compact(self, iri: str) -> str:
        """A JSON-LD compact IRI (any suffix is allowed there) or the IRI itself."""
        text = self._json.get(iri)
        if text is None:
            split = self._split(iri, lambda local: local and not local.startswith("//"))
            if split:
                text = f"{split[0]}:{split[1]}"
            elif iri.split(":", 1)[0] in self.prefixes:
                raise KGError(f"cannot write <{iri}> in JSON-LD: its scheme is one of our prefixes")
            else:
                text = iri
            self._json[iri] = text
        return text

    def jsonld(self, term):
        """A JSON-LD value object (or native string, number, boolean) for an RDF term."""
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if dt == f"{XSD}string":
                return term.value
            if dt == f"{XSD}integer" and _JSON_INT.fullmatch(term.value):
                return int(term.value)
            if dt == f"{XSD}boolean" and term.value in ("true", "false"):
                return term.value == "true"
            return {"@value": term.value, "@type": self.compact(dt)}
        if isinstance(term, ox.NamedNode):
            return {"@id": self.compact(term.value)}
        return {"@id": str(term)}


def _long_string(value: str) -> str:
    r'''A Turtle long string ("""...""") keeping line breaks readable; \ " CR and controls escaped.'''
    body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    body = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", body)
    return f'"""{body}"""'
