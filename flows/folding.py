"""Letters without their marks, lower-cased: the one base for comparing typed text.

"Yarl's Wood" and "yarls wood", "pasnesër" and "pasneser", "Ⓐ" and "a" compare
equal after it. Each caller then decides what punctuation and spaces mean for
its own comparison (a centre's name, a day word, a constituency).
"""

from __future__ import annotations

import unicodedata


def without_marks(text: str) -> str:
    """Lower case, compatibility forms and accents (combining marks) removed."""
    # Decompose first: compatibility forms ("Ⓐ", ligatures) only become letters that
    # casefold can lower after NFKD; decompose again for what casefold makes.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
