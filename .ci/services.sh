#!/usr/bin/env bash
# Print NAME=URL for the local PostgreSQL and Redis that answer, so `make test` runs
# their tests as CI does; print nothing for a service that is absent (its tests skip).
# Usage: env $(bash .ci/services.sh PYTHON) PYTHON -m pytest
PY="${1:-python3}"
pg="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
redis="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
if "$PY" -c "import sys, psycopg2; psycopg2.connect(sys.argv[1], connect_timeout=2).close()" "$pg" 2>/dev/null; then
  echo "TEST_POSTGRES_URL=$pg"
else
  echo "PostgreSQL tests will be skipped: no database at $pg (set TEST_POSTGRES_URL to run them)" >&2
fi
if "$PY" -c "import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" "$redis" 2>/dev/null; then
  echo "TEST_REDIS_URL=$redis"
else
  echo "Redis tests will be skipped: no Redis at $redis (set TEST_REDIS_URL to run them)" >&2
fi
