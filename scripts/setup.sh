#!/usr/bin/env bash
# Installs everything the advisor needs into .venv; skips what is already done. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
VENV=.venv
STAMP="$VENV/.installed"

# System packages: a headless browser for the browser tests, a CJK font for Chinese PDFs, poppler for PDF checks,
# and the Pango libraries WeasyPrint renders with.
APT_PACKAGES=(chromium fonts-wqy-microhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Python packages: reinstall only when pyproject.toml changed since the last successful install.
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    echo "setup: .venv is up to date"
    exit 0
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first and pinned: the CPU build; an unpinned torch would pull a multi-GB CUDA build
"$VENV/bin/python" -m pip install -q "torch==2.13.0"
echo "setup: installing the advisor (llama-cpp-python compiles from source on a first install: ~4 minutes)"
"$VENV/bin/python" -m pip install -q -e '.[test]'
echo "$want" > "$STAMP"
echo "setup: done"
