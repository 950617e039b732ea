"""Text normalisation shared by every search: lower case, no accents, punctuation folded to spaces."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(value: str) -> str:
    """'Trélazé' -> 'trelaze'; "L'Île-d'Yeu" -> 'l ile d yeu'."""
    decomposed = unicodedata.normalize("NFKD", value.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", ascii_only).strip()
