"""Near-duplicate documents: the same content saved as another file, recognised before it doubles retrieval hits.

A document's cleaned text is cut into overlapping shingles of `SHINGLE` tokens (lower-case words, single Chinese
characters), each hashed to 64 bits; the `SKETCH` smallest hashes are its sketch (a bottom-k MinHash), kept in the
manifest. Two sketches estimate the Jaccard similarity of the shingle sets: of the `SKETCH` smallest hashes of their
union, the share found in both. At `SIMILAR` or more the documents are near-duplicates: a re-saved copy, a different
file name, a few words of boilerplate changed. Translations share no shingles and are never duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from advisor.text.lang import HAN

SHINGLE = 5
SKETCH = 128
SIMILAR = 0.9
_TOKEN = re.compile(rf"[{HAN}]|[a-z0-9]+")


def sketch(text: str) -> tuple[int, ...]:
    """The bottom-k sketch of a text's shingles (empty for a text shorter than one shingle)."""
    tokens = _TOKEN.findall(text.lower())
    shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
    hashes = {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles}
    return tuple(sorted(hashes)[:SKETCH])


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the texts two sketches were made from (0 when either is empty)."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[: min(len(a), len(b))]  # every one of these is in a sketch that holds it
    shared = set(a) & set(b)
    return sum(h in shared for h in union) / len(union)


def is_duplicate(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two sketches come from the same content."""
    return similarity(a, b) >= SIMILAR
