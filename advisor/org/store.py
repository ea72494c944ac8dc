"""The uploaded-org store: rosters isolated per upload, their files in the state database (`advisor.filestore`),
one row each, and their analyses cached per process (used by the web app; any host of many rosters can use it).

Every worker on every machine reads the same bytes; each keeps a local copy under ADVISOR_HOME/orgs/<random id>/
to parse. The id is 128 random bits, so an org can only be reached by whoever received its id. Analyses are cached
per process (keyed by id and file version) because dashboards and programs ask for the same metrics many times.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor import filestore
from advisor.config import Settings
from advisor.db import Base, session
from advisor.errors import InputError, NotFoundError
from advisor.org.messages import message

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
_CACHE_SIZE = 64


class OrgUpload(Base):
    """One uploaded roster: where its files are, how its columns map and how it validated."""

    __tablename__ = "org_uploads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # "ready" or "needs_mapping"
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON: source header -> canonical column
    dayfirst: Mapped[bool] = mapped_column(Boolean, default=False)
    has_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text, default="")


@dataclass
class OrgAnalysis:
    """Everything computed from one upload: the roster, its metrics and findings, and the org context for chat."""

    org_id: str
    roster: Any
    profile: Any
    metrics: list[Any]
    findings: list[Any]
    cache: dict[str, Any] = field(default_factory=dict)  # serialised responses, filled by the routes


def new_org_id() -> str:
    """An unguessable org id (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def org_dir(settings: Settings, org_id: str) -> Path:
    """The folder holding one org's files; the id is checked first so it can never name another path."""
    if not _ID.match(org_id):
        raise NotFoundError(f"No org with id {org_id!r}; upload a roster with POST /api/orgs to get an id.")
    return settings.home / "orgs" / org_id


def _local_copy(settings: Settings, org_id: str, name: str) -> Path | None:
    """The org's file `name` (a glob such as `roster.*`) on this worker's disk, fetched from the database if new."""
    folder = org_dir(settings, org_id)
    found = sorted(folder.glob(name))
    if found:
        return found[0]
    prefix = f"orgs/{org_id}/"
    keys = [key for key in filestore.list_files(settings, prefix) if Path(key).match(name)]
    if not keys:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(keys[0]).name
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    partial.write_bytes(filestore.get_file(settings, keys[0]))
    partial.replace(path)  # atomic: a concurrent reader sees the whole file or none
    return path


def roster_file(settings: Settings, org_id: str) -> Path:
    """The uploaded roster file (this worker's copy)."""
    path = _local_copy(settings, org_id, "roster.*")
    if path is None:
        raise NotFoundError(f"The files of org {org_id} are missing; upload the roster again.")
    return path


def delete_files(settings: Settings, org_id: str) -> None:
    """Remove an org's stored files and this worker's copy."""
    filestore.delete_files(settings, f"orgs/{org_id}/")
    shutil.rmtree(org_dir(settings, org_id), ignore_errors=True)


def get_org(settings: Settings, org_id: str) -> OrgUpload:
    """The upload record, or NotFoundError."""
    org_dir(settings, org_id)
    with session(settings) as db:
        record = db.get(OrgUpload, org_id)
    if record is None:
        shutil.rmtree(org_dir(settings, org_id), ignore_errors=True)  # deleted through another worker
        raise NotFoundError(f"No org with id {org_id!r}; upload a roster with POST /api/orgs to get an id.")
    return record


def read_headers(settings: Settings, org_id: str, *, filename: str) -> list[str]:
    """The column headers of an uploaded roster file, as written in the file."""
    from advisor.org.importer import read_source

    path = roster_file(settings, org_id)
    # errors name the file as the uploader named it, never as it is stored
    return [str(column) for column in read_source(path.read_bytes(), filename=filename).frame.columns]


def load_roster_for(settings: Settings, record: OrgUpload) -> Any:
    """Parse and validate the stored roster with the record's mapping."""
    from advisor.org.roster import load_roster

    path = roster_file(settings, record.id)
    mapping = json.loads(record.mapping) or None
    return load_roster(path.read_bytes(), filename=record.filename, mapping=mapping, dayfirst=record.dayfirst)


def load_profile_for(settings: Settings, record: OrgUpload) -> Any:
    """The org's uploaded profile, or None when it has none."""
    if not record.has_profile:
        return None
    from advisor.org.profile import load_profile

    path = _local_copy(settings, record.id, "profile.yaml")
    if path is None:
        raise NotFoundError(
            f"The profile of org {record.id} is missing; upload the roster and profile again."
        )
    return load_profile(path)


# Each group needs one mapped column before the roster can be analysed (rep_id is generated when absent). Dates are
# not required: a CRM export without them still has span, territory and revenue metrics (validation says so).
_REQUIRED_GROUPS = (("role",),)


def missing_required(headers: list[str], mapping: dict[str, str]) -> list[str]:
    """The required column groups the mapping leaves unfilled ("role"; a group of alternatives reads "a or b")."""
    from advisor.org.schema import map_headers

    mapped, _unmapped = map_headers(headers, mapping)
    present = set(mapped.values())
    return [" or ".join(group) for group in _REQUIRED_GROUPS if not present & set(group)]


def _validate(settings: Settings, record: OrgUpload) -> None:
    """Load the roster and fill in the record's status, counts and message (mutates `record`)."""
    headers = read_headers(settings, record.id, filename=record.filename)
    missing = missing_required(headers, json.loads(record.mapping))
    if missing:
        record.status = "needs_mapping"
        record.message = str(message("roster_texts.choose_columns", columns=missing))
        return
    roster = load_roster_for(settings, record)
    record.status = "ready"
    record.rows = len(roster.df)
    record.issues = len(roster.issues)
    record.message = ""


def create_org(
    settings: Settings,
    *,
    filename: str,
    data: bytes,
    profile: bytes | None = None,
    mapping: dict[str, str] | None = None,
    dayfirst: bool = False,
) -> OrgUpload:
    """Store an upload under a new id and validate it; status `needs_mapping` when required columns are unknown."""
    org_id = new_org_id()
    folder = org_dir(settings, org_id)
    folder.mkdir(parents=True)
    suffix = Path(filename).suffix.lower() or ".csv"
    (folder / f"roster{suffix}").write_bytes(data)
    if profile is not None:
        (folder / "profile.yaml").write_bytes(profile)
    stored = [(f"roster{suffix}", data)] + ([("profile.yaml", profile)] if profile is not None else [])
    record = OrgUpload(
        id=org_id,
        created_at=datetime.now(UTC),
        filename=filename,
        status="needs_mapping",
        mapping=json.dumps(mapping or {}),
        dayfirst=dayfirst,
        has_profile=profile is not None,
    )
    try:
        if profile is not None:
            load_profile_for(
                settings, record
            )  # a broken profile is reported now, not on every dashboard view
        _validate(settings, record)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)  # an unreadable upload leaves nothing behind
        raise
    for name, content in stored:
        filestore.put_file(settings, f"orgs/{org_id}/{name}", content)
    with session(settings) as db:
        db.add(record)
    return record


def apply_mapping(
    settings: Settings, org_id: str, *, mapping: dict[str, str], dayfirst: bool | None = None
) -> OrgUpload:
    """Re-validate a stored upload with a new column mapping."""
    record = get_org(settings, org_id)
    record.mapping = json.dumps({source: target for source, target in mapping.items() if target})
    if dayfirst is not None:
        record.dayfirst = dayfirst
    _validate(settings, record)
    record.version += 1
    with session(settings) as db:
        db.merge(record)
    forget(org_id)
    return record


_analyses: OrderedDict[tuple[str, int], OrgAnalysis] = OrderedDict()
_analyses_lock = threading.Lock()
# How long a worker trusts its cached copy without asking the database whether the upload was re-mapped (another
# web worker may have done it); a re-map in this worker takes effect at once.
RECHECK_SECONDS = 1.0
_checked: dict[str, tuple[int, float]] = {}  # org id -> (version seen, when)


def forget(org_id: str) -> None:
    """Drop this worker's cached analyses of an org (after a re-map or a deletion)."""
    with _analyses_lock:
        for key in [key for key in _analyses if key[0] == org_id]:
            del _analyses[key]
        _checked.pop(org_id, None)


def recent_analysis(org_id: str) -> OrgAnalysis | None:
    """The cached analysis if its version was confirmed within RECHECK_SECONDS (no I/O: safe on the event loop)."""
    with _analyses_lock:
        seen = _checked.get(org_id)
        if seen is None or time.monotonic() - seen[1] > RECHECK_SECONDS:
            return None
        return _analyses.get((org_id, seen[0]))


def analysis(settings: Settings, org_id: str) -> OrgAnalysis:
    """The org's roster, metrics and findings, computed once per upload version and cached."""
    record = get_org(settings, org_id)
    if record.status != "ready":
        raise InputError(f"Org {org_id} needs a column mapping first: {record.message}")
    key = (org_id, record.version)
    with _analyses_lock:
        _checked[org_id] = (record.version, time.monotonic())
        if key in _analyses:
            _analyses.move_to_end(key)
            return _analyses[key]
    from advisor.bundled import BENCHMARKS_FILE
    from advisor.org.analysis import analyze
    from advisor.org.benchmarks import load_benchmarks

    roster = load_roster_for(settings, record)
    profile = load_profile_for(settings, record)
    analysed = analyze(roster, benchmarks=load_benchmarks(BENCHMARKS_FILE), profile=profile)
    result = OrgAnalysis(org_id=org_id, roster=roster, profile=profile, metrics=analysed.metrics,
                         findings=analysed.findings)  # fmt: skip
    with _analyses_lock:
        _analyses[key] = result
        while len(_analyses) > _CACHE_SIZE:
            _analyses.popitem(last=False)
    return result
