"""`python -m advisor.migrations revision "message"`: write a revision from the models' difference to the latest."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine


def main(argv: list[str]) -> int:
    """Autogenerate a revision against a scratch SQLite database migrated to the latest revision."""
    if len(argv) != 2 or argv[0] != "revision":
        print('usage: python -m advisor.migrations revision "what changed"', file=sys.stderr)
        return 2
    from alembic import command

    from advisor.migrations import _config, import_models, upgrade

    import_models()

    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        upgrade(engine)
        with engine.begin() as connection:
            command.revision(_config(connection), message=argv[1], autogenerate=True)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
