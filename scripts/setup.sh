#!/usr/bin/env bash
# Installs everything the advisor needs into .venv; skips what is already done. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
VENV=.venv
STAMP="$VENV/.installed"

# System packages: a headless browser for the browser tests, a CJK font for Chinese PDFs, poppler for PDF checks,
# the Pango libraries WeasyPrint renders with, and PostgreSQL for the team-deployment tests.
APT_PACKAGES=(chromium fonts-wqy-microhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0 postgresql)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    # errors still reach the terminal; the per-package chatter does not
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages, from the lock: every machine installs exactly what CI tested (scripts/lock.sh regenerates it).
# Reinstall only when pyproject.toml or the lock changed since the last successful install and self-test.
want=$(cat pyproject.toml requirements/lock.txt | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    echo "setup: .venv is up to date"
    exit 0
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first, from the lock: the CPU build; the PyPI build of the same version pulls several GB of CUDA libraries
"$VENV/bin/python" -m pip install -q -c requirements/lock.txt torch
echo "setup: installing the advisor (llama-cpp-python compiles from source on a first install: ~4 minutes)"
"$VENV/bin/python" -m pip install -q -c requirements/lock.txt -e '.[test]'

# Self-test: load both bundled models and generate a few tokens in a child process. A llama.cpp build that does
# not suit this CPU crashes here, with the fix named, instead of later in the web app.
if ! "$VENV/bin/advisor" doctor --check models; then
    echo "setup: the self-test failed; apply the fix above, then run make setup again" >&2
    exit 1
fi
echo "$want" > "$STAMP"
echo "setup: done"
