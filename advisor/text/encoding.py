"""Bytes of unknown encoding to text: UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), GB18030, then a fallback.

Roster exports and knowledge documents arrive from the same editors and spreadsheets, so both read text here. A
file that decodes only into control characters is binary, whatever its name says.
"""

from __future__ import annotations

import re

# C0 controls except tab, newline, form feed and carriage return, plus DEL: rare in any real text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


class BinaryData(ValueError):
    """The bytes are not text in any encoding we read."""


def _looks_like_text(text: str) -> bool:
    sample = text[:8192]
    return not sample or len(_CONTROL.findall(sample)) <= len(sample) // 100


def decode(data: bytes, *, fallback: str | None = "cp1252") -> tuple[str, str]:
    """(text, encoding name); without a `fallback`, bytes that no encoding reads as text raise `BinaryData`."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        if _looks_like_text(text):
            return text, "utf-16"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > len(head) // 10:
        # UTF-16 without a BOM: each ASCII character (digits, commas, newlines) leaves a NUL in its pair.
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        text = data[: len(data) // 2 * 2].decode(encoding, errors="replace")
        if _looks_like_text(text):
            return text, encoding
    if b"\x00" not in head:
        for encoding in ("utf-8", "gb18030"):  # gb18030 covers the GBK files Chinese editors still save
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, encoding
    if fallback is None:
        raise BinaryData("binary data, not text")
    return data.decode(fallback, errors="replace"), fallback
