"""Name normalisation shared by the KB index and the linker, so both sides compare the same keys."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w']+")
_LEADING = re.compile(r"^(?:the|a|an) ")
_POSSESSIVE = re.compile(r"'s?$")


def norm(name: str) -> str:
    """Accent-free, casefolded, dots dropped ("U.S." = "US"), punctuation as space, no leading article."""
    s = unicodedata.normalize("NFKD", name.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace(".", "")
    s = " ".join(_NON_WORD.sub(" ", s).split())
    return _POSSESSIVE.sub("", _LEADING.sub("", s)).strip()
