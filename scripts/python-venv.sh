#!/bin/sh
# Makes sure PYTHON can create a virtual environment: Debian ships venv and
# ensurepip in a separate package (python3-venv), installed here when absent.
set -eu
PYTHON="${1:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "kbviewer needs Python 3.11 or newer: '$PYTHON' was not found"; exit 1
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "kbviewer needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))"; exit 1; }
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null && exit 0

package="python3-venv"
version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Python's venv module is missing; on Debian: sudo apt-get install -y $package python$version-venv"
    exit 1
fi
echo "Installing Python's venv module ($package)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$package" >/dev/null || \
    apt-get install -y -qq --no-install-recommends "python$version-venv" >/dev/null
