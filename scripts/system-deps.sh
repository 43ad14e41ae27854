#!/bin/sh
# Installs the system libraries Qt needs (Debian), when some are missing.
# Offscreen Qt needs the first list; a real window (X11 or Xvfb) also the second.
set -eu

OFFSCREEN="libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
WINDOW="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth"
WANTED="$OFFSCREEN"
[ "${KBVIEWER_WINDOW:-0}" = 1 ] && WANTED="$OFFSCREEN $WINDOW"

command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: nothing we can check

missing=""
for pkg in $WANTED; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "Qt needs these system packages:$missing"
    echo "Install them with: sudo apt-get install -y$missing"
    exit 1
fi
echo "Installing Qt's system libraries:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
