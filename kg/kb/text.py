"""Name normalisation shared by the KB index and the linker, so both sides compare the same keys."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w']+")
_LEADING = re.compile(r"^(?:the|a|an) ")
_POSSESSIVE = re.compile(r"'s?$")
# Arabic definite article as romanised before a name (al-, el- and its assimilated forms: ar-Raqqah, as-Salt)
_ARABIC_ARTICLES = frozenset("al el ar as ad an at az ash ath adh".split())
_DOUBLED = re.compile(r"(\w)\1+")
_FINAL_H = re.compile(r"([aeiou])h\b")


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
