#!/usr/bin/env bash
# Installs everything and runs every check and test. Needs PostgreSQL and Redis on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/setup.sh --dev
bash infra/check_services.sh

export FACESORT_DATASETS="${FACESORT_DATASETS:-$(cd .. && pwd)/shared/datasets}"

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy (strict on core, schema, api)"
.venv/bin/mypy core schema api
echo "== import arrows"
.venv/bin/lint-imports
echo "== schema.graphql matches the code"
.venv/bin/facesort export-schema > /tmp/facesort-schema.graphql
diff -u schema.graphql /tmp/facesort-schema.graphql || { echo "schema.graphql is stale: run facesort export-schema --output schema.graphql" >&2; exit 1; }
if [[ -x infra/check_static.sh ]]; then
  echo "== compose file and Dockerfile"
  bash infra/check_static.sh
fi

echo "== dependency audit"
bash infra/audit.sh

echo "== python tests"
.venv/bin/pytest -q -p no:cacheprovider "$@"

if [[ -f clients/web/package.json ]]; then
  echo "== web unit tests"
  (cd clients/web && npm test --silent)
  if grep -q '"test:e2e"' clients/web/package.json; then
    echo "== browser tests"
    command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
    (cd clients/web && npm run test:e2e --silent)
  fi
fi
echo "all checks passed"
