"""kg_claims: content attributed to a source ("X said ...", "officials claimed ...", "the ministry's claim that").

``doc._.kg_claims``: one dict per attribution, in text order:
``{source, source_text, cue, content, events, unverified, sentence}``: the source's entity key (or the country of
a nationality-modified source, "Russian officials"; None when the source names no entity), the source's words,
the reporting word as ``(start, end, text)``, the claimed content as a character range, indices into
``doc._.kg_events`` of events inside the content, and whether the sentence says the claim could not be verified.
Cue words: data/claim_cues.json.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..data import load_json
from . import reset
from .boilerplate import skipped
from .roles import nationality_tokens, token_owners

_CONTENT_DEPS = {"ccomp", "acl", "relcl"}


class Claims:
    def __init__(self, nlp: Language, name: str, cues: str):
        self.name = name
        table = load_json(cues)
        self.verbs, self.nouns = frozenset(table["verbs"]), frozenset(table["nouns"])
        self.unverified = tuple(table["unverified"])

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        owners, countries = token_owners(doc), nationality_tokens(doc)
        for tok in doc:
            if skipped(doc, tok.idx, tok.idx + len(tok)):
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self.verbs:
                source = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                content = self.clause(tok)
            elif tok.pos_ == "NOUN" and tok.lower_ in self.nouns:
                source = next((c for c in tok.children if c.dep_ == "poss"
                               or any(g.dep_ == "case" for g in c.children)), None)  # "the ministry's claim"
                content = next((c for c in tok.children if c.dep_ in _CONTENT_DEPS), None)
                content = (content.left_edge.idx, _end(content.right_edge)) if content is not None else None
            else:
                continue
            if source is None or content is None or source.pos_ == "PRON":
                continue  # pronoun sources are left to coreference, which we do not do
            content = self.clip(doc, tok, content)
            doc._.kg_claims.append(self.claim(doc, tok, source, content, owners, countries))
        return doc

    @staticmethod
    def clause(verb: Token) -> tuple[int, int] | None:
        """The reported clause: the verb's clausal complement, or, for a parenthetical "..., officials claimed",
        the clause it comments on."""
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is not None:
            return comp.left_edge.idx, _end(comp.right_edge)
        if verb.dep_ in ("parataxis", "ccomp") and verb.head is not verb:
            head = verb.head
            left = [t for t in head.subtree if t.i < verb.left_edge.i]
            if left:
                return left[0].idx, _end(left[-1])
        return None

    @staticmethod
    def clip(doc: Doc, cue: Token, content: tuple[int, int]) -> tuple[int, int]:
        """Keep the content inside the cue's sentence and after any boilerplate before it (a caption the parser
        glued to the sentence)."""
        start, end = max(content[0], cue.sent.start_char), min(content[1], cue.sent.end_char)
        for s, e in doc._.kg_skip:
            if s < cue.idx and e > start:
                start = e
        text = doc.text  # (built from the tokens on every access)
        while start < end and text[start].isspace():
            start += 1
        return start, max(start, end)

    def claim(self, doc: Doc, cue: Token, source: Token, content: tuple[int, int], owners: dict,
              countries: dict) -> dict:
        key = None
        for t in [source, *source.children, *source.subtree]:
            if t.i in owners:
                key = owners[t.i][0]
                break
            if t.i in countries:
                key = countries[t.i]
                break
        sent = cue.sent
        events = [n for n, e in enumerate(doc._.kg_events)
                  if any(content[0] <= s and e_ <= content[1] for s, e_, _, _ in e["mentions"])]
        return {"source": key, "source_text": doc[source.left_edge.i:source.right_edge.i + 1].text,
                "cue": (cue.idx, _end(cue), cue.text), "content": content, "events": events,
                "unverified": any(p in sent.text for p in self.unverified),
                "sentence": (sent.start_char, sent.end_char)}


def _end(tok: Token) -> int:
    return tok.idx + len(tok)


@Language.factory("kg_claims", assigns=["doc._.kg_claims"], default_config={"cues": "claim_cues.json"})
def make_kg_claims(nlp: Language, name: str, cues: str) -> Claims:
    return Claims(nlp, name, cues)
