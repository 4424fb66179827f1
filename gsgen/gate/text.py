"""Whether text shows anything: a link, a title or a summary made only of characters that take no
room or are drawn empty says nothing to a reader, however long it is (DARK-LINK, ART-META)."""

from __future__ import annotations

import unicodedata

# Characters that take no room or show nothing: besides whole categories (Z: spaces; Cc, Cf:
# controls, zero-width and bidi marks), fillers and marks that Unicode calls letters,
# symbols or combining marks but fonts draw empty: the Hangul fillers, the blank braille pattern,
# the Mongolian vowel separator, combining grapheme joiner, Khmer inherent vowels, variation selectors.
# (Private-use characters, Co, are seen: icon fonts draw their pictures there.)
BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
BLANK_CHARACTERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u180e\u034f\u17b4\u17b5" + "".join(map(chr, range(0xFE00, 0xFE10)))
)


def visible(text: str) -> bool:
    """Whether `text` holds a character a reader can see."""
    if text.isascii() and text.isprintable():  # most link text: no character to look up
        return bool(text.strip())
    return any(c not in BLANK_CHARACTERS and unicodedata.category(c) not in BLANK_CATEGORIES for c in text)
