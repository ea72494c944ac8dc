"""The uploaded-org store (advisor.org.store) on a real SQLite state database under a temporary ADVISOR_HOME."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from org_helpers import ROSTERS

from advisor.config import Settings, load_settings
from advisor.errors import InputError, NotFoundError
from advisor.org import store

ROSTER = ROSTERS / "problem_team.csv"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(home=tmp_path)


def test_an_upload_is_stored_validated_and_analysed_once_per_version(settings: Settings) -> None:
    record = store.create_org(settings, filename="team.csv", data=ROSTER.read_bytes())
    assert (record.status, record.rows, record.version) == ("ready", 37, 1)
    first = store.analysis(settings, record.id)
    assert store.analysis(settings, record.id) is first  # cached
    assert store.recent_analysis(record.id) is first
    ids = {m.id for m in first.metrics}
    assert {"sdr_turnover_rate", "span_of_control_max"} <= ids and first.findings

    remapped = store.apply_mapping(settings, record.id, mapping={"role": "role"})
    assert remapped.version == 2 and store.recent_analysis(record.id) is None
    assert store.analysis(settings, record.id) is not first


def test_a_roster_without_a_role_column_waits_for_a_mapping(settings: Settings) -> None:
    data = b"person,Function,hired\nA1,Account Executive,2024-01-02\n"
    record = store.create_org(settings, filename="export.csv", data=data)
    assert record.status == "needs_mapping" and record.message == "Choose the columns holding: role."
    with pytest.raises(InputError, match="needs a column mapping first"):
        store.analysis(settings, record.id)
    mapped = store.apply_mapping(settings, record.id, mapping={"Function": "role"})
    assert mapped.status == "ready" and mapped.rows == 1


def test_a_crm_export_without_dates_is_ready(settings: Settings) -> None:
    data = (ROSTERS.parents[2] / "evals" / "fixtures" / "plans" / "crm_no_dates.csv").read_bytes()
    record = store.create_org(settings, filename="crm.csv", data=data)
    assert record.status == "ready" and record.message == ""
    values = {m.id: m.value for m in store.analysis(settings, record.id).metrics}
    assert values["span_of_control_mean"] == 6.0 and values["turnover_rate"] is None


def test_ids_that_could_name_another_path_are_not_found(settings: Settings) -> None:
    for org_id in ("../secrets", "x" * 21, store.new_org_id()):
        with pytest.raises(NotFoundError, match="upload a roster with POST /api/orgs"):
            store.get_org(settings, org_id)


def test_deleting_the_files_forgets_the_local_copy(settings: Settings) -> None:
    record = store.create_org(settings, filename="team.csv", data=ROSTER.read_bytes())
    assert store.roster_file(settings, record.id).read_bytes() == ROSTER.read_bytes()
    store.delete_files(settings, record.id)
    with pytest.raises(NotFoundError, match="upload the roster again"):
        store.roster_file(settings, record.id)


def test_the_library_store_imports_nothing_from_the_web_app() -> None:
    code = "import sys, advisor.org.store; print(sorted(m for m in sys.modules if m.split('.')[0] == 'api'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
