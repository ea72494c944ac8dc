"""Migrations on SQLite and PostgreSQL: from an empty database, from the schema before migrations, and at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from advisor.config import load_settings
from advisor.db import StateError
from advisor.migrations import (
    check_models,
    current_revisions,
    head_revisions,
    import_models,
    missing_from_schema,
    upgrade,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

NEW_TABLES = {"users", "api_tokens", "audit_events", "shared_secrets", "stored_files"}


@pytest.fixture(params=["sqlite", "postgresql"])
def make_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Engine]:
    """A factory of engines over one empty database of the parametrised kind (several engines = several workers)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.db'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    engines: list[Engine] = []

    def make() -> Engine:
        engines.append(create_engine(url))
        return engines[-1]

    yield make  # type: ignore[misc]
    for engine in engines:
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_from_empty_every_table_of_the_models(make_engine: Callable[[], Engine]) -> None:
    engine = make_engine()
    upgrade(engine)
    import_models()
    assert current_revisions(engine) == head_revisions()
    assert {"chat_conversations", "chat_turns", "org_uploads"} | NEW_TABLES <= _tables(engine)
    assert missing_from_schema(engine) == []
    upgrade(engine)  # a second start changes nothing
    assert current_revisions(engine) == head_revisions()


def test_from_the_previous_schema_rows_survive(make_engine: Callable[[], Engine]) -> None:
    engine = make_engine()
    ddl = (FIXTURES / f"previous_schema.{engine.dialect.name}.sql").read_text(encoding="utf-8")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if statement.strip().replace("-", "").strip() and "CREATE" in statement:
                connection.execute(text(statement))
        connection.execute(
            text(
                "INSERT INTO chat_conversations (id, title, created_at, updated_at) VALUES ('c1', 'Old', :t, :t)"
            ),
            {"t": now},
        )
        connection.execute(
            text(
                "INSERT INTO chat_turns (conversation_id, question, standalone, answer, answer_json, created_at) "
                "VALUES ('c1', 'Why?', 'Why?', 'Because.', '{}', :t)"
            ),
            {"t": now},
        )
    assert current_revisions(engine) == set()
    upgrade(engine)
    assert current_revisions(engine) == head_revisions()
    assert _tables(engine) >= NEW_TABLES
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM chat_conversations")).scalar_one() == "Old"
        assert connection.execute(text("SELECT answer FROM chat_turns")).scalar_one() == "Because."


def test_a_previous_schema_with_only_some_tables_gets_the_rest(make_engine: Callable[[], Engine]) -> None:
    engine = make_engine()
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE chat_conversations (id VARCHAR(64) NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL, "
                "created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)"
            )
        )
    upgrade(engine)
    assert {"chat_turns", "org_uploads"} | NEW_TABLES <= _tables(engine)


def test_workers_starting_at_once_migrate_once(make_engine: Callable[[], Engine], tmp_path: Path) -> None:
    engines = [make_engine() for _ in range(3)]
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        try:
            upgrade(engine, lock_path=tmp_path / "migrate.lock")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert current_revisions(engines[0]) == head_revisions()


def test_a_model_without_its_migration_is_reported_with_the_fix(make_engine: Callable[[], Engine]) -> None:
    engine = make_engine()
    upgrade(engine)
    import_models()
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_events"))
    with pytest.raises(
        StateError, match=r"declare audit_events but no migration creates them: run `python -m advisor"
    ):
        check_models(engine)


def test_the_state_database_migrates_when_first_opened(advisor_home: Path) -> None:
    from advisor.chat.memory import create_conversation, get_conversation

    settings = load_settings(home=advisor_home)
    conversation_id = create_conversation(settings, title="hello")
    assert get_conversation(settings, conversation_id).title == "hello"
    engine = create_engine(settings.state_url)
    assert current_revisions(engine) == head_revisions()
    engine.dispose()
