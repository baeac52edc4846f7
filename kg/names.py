"""Names and the keys they are compared under, at the ground floor: the pipeline, the linker, the KB and the
mapping all agree on them without importing each other.

- ``mention_key``: names of one entity inside an article (alias clusters, entity keys, entity IRIs).
- ``norm`` and ``loose``: KB lookups, shared by the KB index (kg.kb) and the linker so both sides compare the
  same keys.
- ``MENTIONS``: the span group of the Doc contract (kg.pipeline) holding the entity mentions.
- ``is_title`` and ``strip_titles``: title words before a name (titles.json: honorifics and roles, given by the
  caller from its component's config), so the mention component and the linker read one title list.
"""
from __future__ import annotations

import re
import unicodedata
MENTIONS = "kg_mentions"

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_NON_WORD = re.compile(r"[^\w']+")
_LEADING = re.compile(r"^(?:the|a|an) ")
_POSSESSIVE = re.compile(r"'s?$")
# Arabic definite article as romanised before a name (al-, el- and its assimilated forms: ar-Raqqah, as-Salt)
_ARABIC_ARTICLES = frozenset("al el ar as ad an at az ash ath adh".split())
_DOUBLED = re.compile(r"(\w)\1+")
_FINAL_H = re.compile(r"([aeiou])h\b")


def mention_key(name: str) -> str:
    """The key under which names of one entity are compared: casefolded, single-spaced, no leading article."""
    return " ".join(_ARTICLE.sub("", name).replace("’", "'").split()).casefold()


def norm(name: str) -> str:
    """Accent-free, casefolded, dots dropped ("U.S." = "US"), punctuation as space, no leading article."""
    if name.isascii():  # most names: NFKD and accent stripping change nothing, casefold is lower
        s = name.lower().replace(".", "")
    else:
        s = unicodedata.normalize("NFKD", name.replace("’", "'"))
        s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace(".", "")
    s = " ".join(_NON_WORD.sub(" ", s).split())
    return _POSSESSIVE.sub("", _LEADING.sub("", s)).strip()


def loose(key: str) -> str:
    """A normalised key with romanisation differences dropped, so "Raqqa" meets "Ar Raqqah": no leading Arabic
    article, doubled letters single, no "h" after a final vowel."""
    words = key.split()
    if len(words) > 1 and words[0] in _ARABIC_ARTICLES:
        words = words[1:]
    return _FINAL_H.sub(r"\1", _DOUBLED.sub(r"\1", " ".join(words)))


def title_words(table: dict) -> frozenset[str]:
    """Courtesy titles and roles written before a name ("Dr", "Gen", "President") in a titles.json table."""
    return frozenset(table["honorifics"]) | frozenset(table["roles"])


def strip_titles(key: str, titles: frozenset[str]) -> str:
    """A normalised name (``norm``) without the title words before it ("former prime minister tony blair" ->
    "tony blair"); the last word always stays."""
    words = key.split()
    while len(words) > 1 and words[0] in titles:
        words = words[1:]
    return " ".join(words)


def word(token) -> str:
    """A token as the rule tables spell it: lower-case, without a trailing full stop."""
    return token.lower_.rstrip(".")


def is_title(token, titles: frozenset[str]) -> bool:
    """A spaCy token that is one of the ``titles`` words, written as titles are (not in mixed case: "PResident")."""
    return word(token) in titles and (token.is_title or token.is_lower or token.is_upper)
