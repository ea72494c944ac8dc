"""Limits on zip containers (XLSX, DOCX): refuse a zip bomb from its directory, before anything unpacks it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from advisor.errors import InputError


@dataclass(frozen=True)
class ZipLimits:
    """How large a container may unpack, how much it may expand, and how many parts it may hold."""

    max_unzipped_mb: float = 256.0
    max_ratio: float = 200.0
    max_entries: int = 10_000


def check_zip(data: bytes, *, name: str, kind: str, limits: ZipLimits | None = None) -> None:
    """Raise `InputError` naming `name` when the zip is damaged or would unpack past the limits."""
    limits = limits or ZipLimits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(
            f"{name}: not a readable {kind}, the zip inside is damaged ({exc}); re-save it"
        ) from exc
    if len(entries) > limits.max_entries:
        raise InputError(f"{name}: holds {len(entries):,} parts, more than a {kind} has; re-save it")
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if total > limits.max_unzipped_mb * 1024 * 1024:
        raise InputError(
            f"{name}: unpacks to {total / 1024 / 1024:,.0f} MB, over the {limits.max_unzipped_mb:g} MB limit; "
            "save a smaller file, or export it as plain text or CSV"
        )
    ratio = total / max(packed, 1)
    if total > 1024 * 1024 and ratio > limits.max_ratio:
        raise InputError(
            f"{name}: unpacks to {ratio:,.0f} times its size (limit {limits.max_ratio:g}x), as a zip bomb does; "
            "save it again, or export it as plain text or CSV"
        )
