"""Exit 0 when a PostgreSQL answers at TEST_DATABASE_URL or 127.0.0.1:5432, 1 otherwise."""

from __future__ import annotations

import os
import sys


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    url = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
