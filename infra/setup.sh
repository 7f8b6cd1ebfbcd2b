#!/usr/bin/env bash
# Installs facesort into ./.venv (torch from pip's local files, as DEVELOPERS.md says) and builds
# the web client. `--dev` adds the test and lint tools. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${PIP[@]}" install --upgrade pip setuptools wheel

# torch: pip (never uv) takes the local CPU-capable files; torchvision must match it.
if ! .venv/bin/python -c "import torch, torchvision" >/dev/null 2>&1; then
  echo "installing torch 2.14.1 + torchvision 0.29.1 (about a minute)"
  "${PIP[@]}" install torch==2.14.1 torchvision==0.29.1
fi
# facenet-pytorch pins ancient torch versions: install it without its pins (MTCNN weights ship inside).
if ! .venv/bin/python -c "import facenet_pytorch" >/dev/null 2>&1; then
  "${PIP[@]}" install --no-deps facenet-pytorch==2.6.0
fi

if [[ $DEV == 1 ]]; then
  "${PIP[@]}" install -e ".[dev]"
else
  "${PIP[@]}" install -e .
fi

if [[ -f clients/web/package.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js 20 to build the web client" >&2
    exit 1
  fi
  (cd clients/web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi
echo "facesort is installed in .venv"
