"""Named queries: `queries/*.rq` files with a header declaring title, description and typed parameters.

Shared by `kg query --named` and the HTTP endpoint. Parameters are bound as RDF terms through Oxigraph's
``substitutions`` (SEP-0007), never pasted into the query text. SEP-0007 binds only variables the query
projects, so every parameter variable appears in the SELECT clause (it shows up as a constant column).
Oxigraph replaces a substituted variable inside expressions, but BOUND(?param) stays false: an optional
parameter is written ``FILTER(COALESCE(?x = ?param, true))`` (true when the parameter is not given).

Header syntax (comment lines before the query)::

    # title: People most mentioned
    # description: People ranked by the number of mentions across all articles.
    # param: min_mentions integer = 2 -- only people mentioned at least this often
    # param: entity iri -- the entity (required: no default)
    # param: since date = ? -- optional: left unbound when not given
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..data import shipped
from ..errors import KGError
from ..namespaces import WD, XSD

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)")
_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?\s*(?:--\s*(?P<doc>.*))?$")
_QID = re.compile(r"Q[1-9]\d*")


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value.strip().strip("<>"))


def _qid(value: str) -> ox.NamedNode:
    value = value.strip().rsplit("/", 1)[-1]
    if not _QID.fullmatch(value):
        raise ValueError("expected a Wikidata QID such as Q42")
    return ox.NamedNode(f"{WD}{value}")


def _typed(datatype, check):
    def convert(value: str) -> ox.Literal:
        check(value.strip())
        return ox.Literal(value.strip(), datatype=ox.NamedNode(str(datatype)))
    return convert


def _boolean(value: str) -> None:
    if value.lower() not in ("true", "false", "1", "0"):
        raise ValueError("expected true or false")


# type name -> converter from the text a user gives to an RDF term (raises ValueError when invalid)
CONVERTERS = {
    "iri": _iri,
    "qid": _qid,
    "string": lambda v: ox.Literal(v),
    "integer": _typed(XSD.integer, int),
    "decimal": _typed(XSD.decimal, float),
    "date": _typed(XSD.date, dt.date.fromisoformat),
    "boolean": _typed(XSD.boolean, _boolean),
}


@dataclass
class Param:
    name: str
    type: str
    default: str | None = None  # None: required; "?": optional, left unbound
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def term(self, value: str):
        try:
            return CONVERTERS[self.type](value)
        except ValueError as exc:
            raise KGError(f"parameter {self.name!r} ({self.type}): invalid value {value!r}: {exc}") from None

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "required": self.required,
                "default": None if self.default in (None, "?") else self.default, "description": self.doc}


@dataclass
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)

    def prepare(self, bindings: dict[str, str]) -> tuple[str, dict]:
        """The query text and the substitutions (Variable -> term) for the given parameter values."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(bindings) - set(known))
        if unknown:
            raise KGError(f"named query {self.name!r} has no parameter {', '.join(unknown)}; "
                          f"parameters: {', '.join(known) or 'none'}")
        substitutions = {}
        for p in self.params:
            value = bindings.get(p.name)
            if value in (None, ""):
                if p.required:
                    raise KGError(f"named query {self.name!r} needs parameter {p.name!r} ({p.type})")
                if p.default == "?":
                    continue
                value = p.default
            substitutions[ox.Variable(p.name)] = p.term(value)
        return self.text, substitutions

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [p.as_dict() for p in self.params], "query": self.text}


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read the header comments of a .rq file; raise KGError for a malformed parameter line."""
    q = NamedQuery(name=name, text=text)
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break  # the header ends at the first non-comment line
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm["type"] not in CONVERTERS:
                raise KGError(f"queries/{name}.rq: bad parameter line {value!r}; expected "
                              f"'NAME TYPE [= DEFAULT] [-- description]' with TYPE one of {', '.join(CONVERTERS)}")
            p = Param(pm["name"], pm["type"], pm["default"], (pm["doc"] or "").strip())
            if p.default not in (None, "?"):
                p.term(p.default)  # a bad default is a bug in the file: fail at load time
            q.params.append(p)
        else:
            setattr(q, key, (getattr(q, key) + " " + value).strip())
    return q


def load_named_queries(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of the directory (default: KG_QUERIES, else queries/ as shipped), by name."""
    folder = Path(directory or os.environ.get("KG_QUERIES") or shipped("queries"))
    return {p.stem: parse_named_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}
