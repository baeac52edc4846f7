"""The extraction pipeline: spaCy components that write what they find onto the Doc.

The contract every component and the RDF mapping (kg.mapping) rely on:

- ``doc.spans["kg_mentions"]``: one Span per entity mention; ``span.label_`` is one of the four classes
  ("Person", "Place", "Organisation", "Event") and ``span._.kg_entity`` the key of its entity in
  ``doc._.kg_entities``.
- ``doc._.kg_entities``: key -> dict(cls, label, names: set[str], qid: str|None, confidence: float|None[,
  evidence]). One entry per entity (an in-document alias cluster); ``names`` are all surface forms seen. The linker
  adds ``evidence`` = dict(score, qid, features: list[str]) to every entity it had candidates for, linked or NIL
  (what decided: name match kind, class fit, prior, context, the weak-evidence rules that applied, runner-up).
- ``span._.kg_confidence`` (on each span of ``doc.spans["kg_mentions"]``): the link confidence of that mention in
  0..1, None when its entity is not linked. It is the entity's confidence, halved for a mention that is only part
  of a longer name ("U.S." in "U.S. Congress"); the RDF mapping emits it as ``itsrdf:taConfidence``.
- ``doc._.kg_nationalities``: dicts(start, end, text, country, qid, modifies) for NORP adjectives
  ("Russian"): kept as links to a country, never as entity nodes. ``modifies`` is an entity key or None.
- ``doc._.kg_roles``, ``doc._.kg_events``, ``doc._.kg_times``, ``doc._.kg_claims``: lists of dicts filled by
  the role, event, time and claim components (see their modules).
- ``doc._.pub_date``: the article's publication date (datetime.date) from metadata, or detected.
- ``doc._.kg_skip``: (start, end) character ranges that are boilerplate (bylines, credits, repeated captions).
"""
from spacy.tokens import Doc, Span

from ..names import MENTIONS

for _name in ("kg_entities",):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("kg_nationalities", "kg_roles", "kg_events", "kg_times", "kg_claims", "kg_skip"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("pub_date"):
    Doc.set_extension("pub_date", default=None)
for _name in ("kg_entity", "kg_confidence"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def reset(doc: Doc) -> None:
    """Give a fresh Doc empty containers (extension defaults must not be shared mutable objects)."""
    if doc._.kg_entities is None:
        doc._.kg_entities = {}
    for name in ("kg_nationalities", "kg_roles", "kg_events", "kg_times", "kg_claims", "kg_skip"):
        if getattr(doc._, name) is None:
            setattr(doc._, name, [])
    if MENTIONS not in doc.spans:
        doc.spans[MENTIONS] = []
