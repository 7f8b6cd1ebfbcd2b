#!/usr/bin/env bash
# Fails loudly, naming the service, when PostgreSQL or Redis is unreachable.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
.venv/bin/python - <<'PY'
import os, sys
import psycopg, redis
pg = os.environ.get("FACESORT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
rd = os.environ.get("FACESORT_TEST_REDIS", "redis://127.0.0.1:6379/15")
failed = False
try:
    psycopg.connect(pg, connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL is unreachable at {pg}: {exc}", file=sys.stderr); failed = True
try:
    redis.Redis.from_url(rd, socket_connect_timeout=5).ping()
except Exception as exc:
    print(f"Redis is unreachable at {rd}: {exc}", file=sys.stderr); failed = True
sys.exit(1 if failed else 0)
PY
