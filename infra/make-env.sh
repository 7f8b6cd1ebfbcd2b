#!/usr/bin/env bash
# Write .env for docker-compose.yml: copy .env.example when .env is missing, then replace every
# `change-me` value with a fresh random one. Values already set are kept, so it is safe to rerun.
#   infra/make-env.sh [ENV_FILE]     (default: .env next to docker-compose.yml)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="${1:-$repo/.env}"

if [[ ! -f "$env_file" ]]; then
    cp "$repo/.env.example" "$env_file"
    echo "created $env_file from .env.example"
fi
chmod 600 "$env_file"

# Hex keeps the values URL-safe: the PostgreSQL password goes into FACESORT_DATABASE_URL.
python3 - "$env_file" <<'PY'
import secrets
import sys
from pathlib import Path

path = Path(sys.argv[1])
lines = path.read_text().splitlines(keepends=True)
replaced = []
for index, line in enumerate(lines):
    key, sep, value = line.partition("=")
    if sep and not key.lstrip().startswith("#") and value.strip() == "change-me":
        lines[index] = f"{key}={secrets.token_hex(32)}\n"
        replaced.append(key.strip())
path.write_text("".join(lines))
print("set random values for: " + (", ".join(replaced) if replaced else "nothing (no change-me left)"))
PY
