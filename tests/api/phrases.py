"""The English phrases a Chinese page must not show: interface texts and the library's worded lines (helpers for the
page scans of tests/api and tests/browser)."""

from __future__ import annotations

import string

# the library catalogue groups the pages word in the page's language
LIBRARY_GROUPS = ("scenario", "errors", "roster_texts", "roster_parts")


def library_phrases() -> set[str]:
    """The literal stretches (two words or more, over 8 letters) of the library's English lines around their values."""
    from advisor.plan.labels import labels

    phrases = set()
    for group in LIBRARY_GROUPS:
        for template in labels("en")[group].values():
            for literal, _name, _spec, _conversion in string.Formatter().parse(str(template)):
                piece = literal.strip(" .,;:()'\"")
                if " " in piece and len(piece) > 8:
                    phrases.add(piece)
    return phrases
