#!/usr/bin/env bash
# Regenerates requirements/lock.txt: every dependency of the advisor and its tests, pinned, resolved for Linux
# x86_64 and Python 3.11 around the measured pins in requirements/pins.txt. Run it after changing dependencies in
# pyproject.toml and commit the result; scripts/setup.sh installs from the lock, so every machine gets what CI tested.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
command -v "$UV" >/dev/null || { echo "lock: needs uv (pip install uv)" >&2; exit 1; }
"$UV" pip compile pyproject.toml --extra test \
    --constraint requirements/pins.txt \
    --find-links "${TORCH_WHEELS:-/opt/wheels}" \
    --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
    --no-emit-package sales-structure-advisor \
    --custom-compile-command "scripts/lock.sh" \
    --output-file requirements/lock.txt
