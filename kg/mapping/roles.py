"""Map ``doc._.kg_roles`` to role nodes (the schema:Role pattern): person kg:holdsRole role; the role has its
holder, its name (schema:roleName), the body or country it is for (kg:roleOf) and every text that states it
(prov:wasDerivedFrom, one phrase per statement)."""
from __future__ import annotations

from rdflib import Literal, URIRef

from ..namespaces import KG, PROV, RDF, SCHEMA
from .context import MapContext
from .core import phrase


def map_roles(ctx: MapContext, doc):
    ents = doc._.kg_entities
    for r in doc._.kg_roles:
        if r["person"] not in ents:
            continue
        role = URIRef(f"{ctx.article_iri}#role-{r['start']}-{r['end']}")
        person = ctx.entity_iri(doc, r["person"])
        yield role, RDF.type, KG.Role
        yield role, RDF.type, SCHEMA.Role
        yield person, KG.holdsRole, role
        yield role, KG.roleHolder, person
        yield role, SCHEMA.roleName, Literal(r["title"])
        for key in (r.get("org"), r.get("country")):
            if key in ents:
                yield role, KG.roleOf, ctx.entity_iri(doc, key)
        for start, end in r.get("statements", [(r["start"], r["end"])]):
            stated, triples = phrase(ctx, start, end, KG.RoleStatement)
            yield from triples
            yield role, PROV.wasDerivedFrom, stated
