"""Context cues that fix the class NER gives a name (rule tables: titles, org_heads, place_cues, event_names, ...,
given as a kg.pipeline.tables.Cues from the component's config).

``cue_class(span, label, cues)`` looks at the words in and around a name and returns the class they point to, or None.
Each rule is a general signal of English news prose, not a list of names:
titles before people ("Gen. Valery Gerasimov"), heads of organisation names ("Defense Ministry"), a common noun
before a company ("drinks company Diageo"), place nouns and prepositions around places ("town of Sudzha",
"Kursk region", "in Kyiv"), heads of building and site names ("Berlin Wall"), the possessive before a role
("Trump's special envoy") and event words ("Hurricane Otto").
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..names import word
from .tables import Cues

NOT_PLACES = ("PERSON", "PRODUCT", "WORK_OF_ART")  # NER labels a place noun may overrule


def singulars(plural: str) -> set[str]:
    """The singular forms a lower-case English plural may have ("presidents", "secretaries", "bosses")."""
    if not plural.endswith("s") or len(plural) < 4:
        return set()
    forms = {plural[:-1], plural[:-2] if plural.endswith("es") else plural[:-1]}
    if plural.endswith("ies"):
        forms.add(plural[:-3] + "y")
    return forms


def plural_title(token: Token, cues: Cues, nouns: frozenset[str] = frozenset(), listed: bool = False) -> bool:
    """A capitalised plural title ("Presidents"), or when names are ``listed`` after it a plural common noun (one
    of ``nouns``: "Astronauts")."""
    forms = singulars(token.lower_) if token.is_title else set()
    return bool(forms & cues.titles or listed and forms & nouns)


def is_vessel(span: Span, cues: Cues) -> bool:
    """"USS Hornet", "HMS Belfast" (with or without the prefix in the span), "the command module Columbia": a ship
    or craft, which is none of our classes."""
    first = span[0] if len(span) > 1 else None
    prev = _prev(span)
    return any(tok is not None and tok.is_upper and word(tok) in cues.vessel_prefixes for tok in (first, prev)) \
        or prev is not None and prev.is_lower and word(prev) in cues.vessel_before


def _prev(span: Span, n: int = 1) -> Token | None:
    i = span.start - n
    return span.doc[i] if i >= 0 else None


def _next(span: Span, n: int = 1) -> Token | None:
    i = span.end + n - 1
    return span.doc[i] if i < len(span.doc) else None


def place_noun_after(span: Span, cues: Cues) -> bool:
    """"Kursk region", "the Forsmark nuclear plant": the name modifies a place noun right after it (up to two
    lower-case modifiers in between)."""
    for k in range(1, 4):
        tok = _next(span, k)
        if tok is None or not tok.is_lower:
            return False
        if word(tok) in cues.place_after:
            return True
        if tok.pos_ not in ("ADJ", "NOUN"):
            return False
    return False


def org_owned(span: Span, cues: Cues) -> bool:
    """"Novartis' shares", "the former Yukos subsidiary", "Ford's car unit": the name owns what only a company or
    body has (a noun right after it or its possessive, past up to two lower-case modifiers)."""
    k = 2 if (_next(span) is not None and _next(span).tag_ == "POS") else 1
    for tok in (_next(span, k + n) for n in range(3)):
        if tok is None or not tok.is_lower or tok.pos_ not in ("ADJ", "NOUN"):
            return False
        if word(tok) in cues.org_owned and tok.pos_ == "NOUN":
            return True
    return False


PRONOUN_CLASS = {"he": "Person", "she": "Person", "his": "Person", "her": "Person", "himself": "Person",
                 "herself": "Person", "its": "not a person", "itself": "not a person"}
_QUOTES = {'"', "“", "”", "'", "‘", "’", ":"}


def subject_class(span: Span) -> str | None:
    """What the clause says a subject is: "Nair said that she ..." ("Person"), "Ford said its sales rose" ("not a
    person"): the first subject or possessive pronoun after it in the clause of its verb, before any quotation or
    other name; "United are ready" (a singular name with a plural verb: a team or body, "Organisation")."""
    head = span.root
    if head.dep_ not in ("nsubj", "nsubjpass") or head.head.pos_ not in ("VERB", "AUX") or _listed(span):
        return None
    verb = head.head
    if head.tag_ == "NNP" and plural_verb(verb) and verb.i > head.i:
        return "Organisation"
    for tok in verb.subtree:
        if tok.i < span.end:
            continue
        if tok.text in _QUOTES or tok.pos_ == "PROPN" or tok.sent != span.sent:
            return None  # a quotation or another name: the pronoun may not be about the subject
        if tok.lower_ in PRONOUN_CLASS and (tok.tag_ == "PRP$" and tok.head.dep_ != "attr"
                                             or tok.dep_ in ("nsubj", "nsubjpass") or tok.lower_.endswith("self")):
            return PRONOUN_CLASS[tok.lower_]  # not "Mexico would not be his destination"
    return None


def _listed(span: Span) -> bool:
    """The name is one of several ("Arash Sigarchi and Mojtaba Saminejad are ..."): the verb agrees with all."""
    prev = _prev(span)
    return bool(span.root.conjuncts) or prev is not None and prev.lower_ in ("and", "or", "&", ",", "nor")


def plural_verb(verb: Token) -> bool:
    """The clause's finite "be" or "have" is plural ("are", "were", "have"), or it has none."""
    finite = ([t for t in verb.children if t.dep_ in ("aux", "auxpass") and t.i < verb.i][:1] or [verb])[0]
    return finite.lemma_ in ("be", "have") and (finite.tag_ == "VBP" or finite.lower_ == "were")


def relative_class(span: Span) -> str | None:
    """"Shepard, who is expected ..." (a person), "Ajax, who are third" (a team or body: a plural verb after a
    singular name), "Platform Z, which uses ..." (not a person): the relative pronoun right after the name, opening
    a clause about it (not about a list it ends: "Clapton, Keane and Jools Holland, which raised ...")."""
    comma, rel = _next(span), _next(span, 2)
    if comma is None or rel is None or comma.text != "," or rel.lower_ not in ("who", "which") or _listed(span):
        return None
    verb = rel.head
    if verb.dep_ != "relcl" or verb.head.i not in range(span.start, span.end):
        return None
    if rel.lower_ == "which":
        return "not a person"
    if plural_verb(verb):
        return "Organisation" if span.root.tag_ == "NNP" else None
    finite = ([t for t in verb.children if t.dep_ in ("aux", "auxpass") and t.i < verb.i][:1] or [verb])[0]
    return "Person" if finite.tag_ in ("VBZ", "VBD") else None


def possessive_role(span: Span, cues: Cues) -> bool:
    """"Trump's special envoy": the name owns a role noun, so it names a person (or a body, never a thing)."""
    nxt = _next(span)
    if nxt is None or nxt.tag_ != "POS":
        return False
    for k in range(2, 5):
        tok = _next(span, k)
        if tok is None or tok.pos_ not in ("ADJ", "NOUN", "PROPN"):
            return False
        if word(tok) in cues.head_roles:
            return True
    return False


def role_owner(span: Span, cues: Cues) -> bool:
    """"United manager Van Gaal", "Labour MP": a name right before a role noun is the body the role belongs to."""
    nxt = _next(span)
    if nxt is not None and nxt.tag_ == "POS":
        nxt = _next(span, 2)
    return nxt is not None and word(nxt) in cues.head_roles and nxt.pos_ in ("NOUN", "PROPN")


def _capital_title(token: Token) -> bool:
    """A title written as part of a name ("President", "Gen."), not a role word or a sentence's first word."""
    return token.is_title and not token.is_sent_start


def person_surname(span: Span) -> bool:
    """The name is the last word of a person's full name NER found in the article ("Trump" after "Donald Trump")."""
    return any(ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == span[-1].text and ent.start != span.start
               for ent in span.doc.ents)


def cue_class(span: Span, ner_label: str, cues: Cues) -> str | None:
    """The class the context gives ``span`` (a trimmed NER entity), or None when it says nothing."""
    t, is_country, is_title = cues, cues.is_country, cues.is_title
    first, last = span[0], span[-1]
    if len(span) == 1 and first.is_upper and len(first) > 3 and first.is_alpha and ner_label == "PERSON":
        return "Organisation"  # people are not written in capitals; brands and acronyms are ("TIBCO")
    if ner_label in ("GPE", "LOC", "FAC", "NORP") and not is_country(span.text) and role_owner(span, t) \
            or ner_label == "ORG" and role_owner(span, t):  # "United manager", "former WorldCom chief"
        return "Organisation"
    capital = span.text in t.capitals or span.text.isupper() and span.text.title() in t.capitals  # datelines
    if ner_label in ("PERSON", "PRODUCT", "WORK_OF_ART") and (capital or is_country(span.text)) \
            or ner_label == "ORG" and capital:
        return "Place"  # gazetteer: capitals and countries (the European Union stays an organisation)
    prev, prev2 = _prev(span), _prev(span, 2)
    if ner_label == "PERSON" and prev is not None and is_title(prev) and not capital and not is_country(span.text) \
            and all(tok.pos_ == "PROPN" for tok in span):
        return None  # "actress Doris Day", "actress Nathalie Press": a person's name ending like an event or a body
    if len(span) > 1 and (word(first) in t.event_first and first.is_title
                          or word(last) in t.event_last and (last.is_title or last.is_upper)):
        return "Event"
    if len(span) > 1 and word(last) in t.org_heads and last.is_title \
            and not (ner_label == "GPE" and is_country(span.text)):  # "Soviet Union" is a country
        return "Organisation"
    if prev is not None and word(prev) in t.event_before and ner_label in ("PERSON", "ORG", "PRODUCT"):
        return "Event"
    if prev is not None and prev.is_title and word(prev) in t.courtesy and len(span) <= 3 \
            and all(tok.is_title for tok in span):
        return "Person"  # "Mr Houston": only people are called so, whatever NER said
    if prev is not None and is_title(prev) and all(tok.pos_ == "PROPN" for tok in span) and len(span) <= 4 \
            and ner_label not in ("GPE", "LOC", "FAC") and (ner_label != "ORG" or _capital_title(prev)):
        return "Person"  # an organisation after a lower-case role word stays one: "sector leader Omnicom"
    if len(span) > 1 and word(last) in t.place_heads and last.is_title and ner_label in NOT_PLACES:
        return "Place"  # a building or site: "Berlin Wall", "Victor Verster Prison"
    if prev is not None and prev.is_lower and word(prev) in t.org_before:
        return "Organisation"
    if ner_label not in ("LOC", "FAC", "NORP") and not is_country(span.text) and not capital and org_owned(span, t):
        return "Organisation"
    if prev is not None and prev.lower_ == "of" and prev2 is not None and word(prev2) in t.place_before:
        return "Place"
    if ner_label != "ORG" and place_noun_after(span, t):
        return "Place"
    if ner_label not in ("GPE", "LOC", "FAC") and possessive_role(span, t) \
            and (ner_label != "ORG" or person_surname(span)):  # "Gartner's principal analyst" stays a company
        return "Person"
    if prev is not None and prev.is_lower and word(prev) in t.place_weak and ner_label in ("PERSON", "PRODUCT"):
        return "Place"
    return None
