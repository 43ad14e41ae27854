#!/bin/sh
# Installs the system packages one use of kbviewer needs (Debian, Ubuntu, Fedora), when some are missing.
#   sh scripts/system-deps.sh window    a real window (make run)
#   sh scripts/system-deps.sh test      the test suite (make test): offscreen Qt,
#                                       desktop-file-validate, and binutils for PyInstaller
#   sh scripts/system-deps.sh bundle    building the standalone bundle (make bundle), which
#                                       carries the window's libraries
#   sh scripts/system-deps.sh offscreen --screenshot only
# As root it runs apt-get (or dnf); otherwise it prints the sudo line and fails.
# No test opens a real display (they run with QT_QPA_PLATFORM=offscreen), so none needs Xvfb.
set -eu

OFFSCREEN="libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
WINDOW="libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
        libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
        libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0"
case "${1:-offscreen}" in
    window) WANTED="$OFFSCREEN $WINDOW" ;;
    test) WANTED="$OFFSCREEN desktop-file-utils binutils" ;;
    bundle) WANTED="$OFFSCREEN $WINDOW binutils" ;;   # the bundle carries the window's libraries
    offscreen) WANTED="$OFFSCREEN" ;;
    *) echo "usage: sh scripts/system-deps.sh [window|test|bundle|offscreen]"; exit 2 ;;
esac

# PyInstaller needs Python's shared library, which Debian packages apart (libpython3.X).
if [ "${1:-}" = test ] || [ "${1:-}" = bundle ]; then
    py="${PYTHON:-python3}"
    so=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("INSTSONAME") or "")' 2>/dev/null || true)
    libdir=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")' 2>/dev/null || true)
    version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
    if [ -n "$so" ] && [ -n "$version" ] && [ ! -e "$libdir/$so" ] && \
            ! /sbin/ldconfig -p 2>/dev/null | grep -q "$so"; then
        WANTED="$WANTED libpython$version"
    fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Fedora: the same libraries under Fedora's names; elsewhere (macOS) PySide6 brings its own.
    command -v rpm >/dev/null 2>&1 && command -v dnf >/dev/null 2>&1 || exit 0
    case "${1:-offscreen}" in
        window) WANTED="mesa-libGL mesa-libEGL fontconfig libxkbcommon dbus-libs glib2 dejavu-sans-fonts
                        libxkbcommon-x11 xcb-util-cursor xcb-util-wm xcb-util-image xcb-util-keysyms
                        xcb-util-renderutil" ;;
        test) WANTED="mesa-libGL mesa-libEGL fontconfig libxkbcommon dbus-libs glib2 dejavu-sans-fonts
                      desktop-file-utils binutils" ;;
        *) WANTED="mesa-libGL mesa-libEGL fontconfig libxkbcommon dbus-libs glib2 dejavu-sans-fonts binutils" ;;
    esac
    missing=""
    for pkg in $WANTED; do
        rpm -q "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
    done
    [ -z "$missing" ] && exit 0
    if [ "$(id -u)" != 0 ]; then
        echo "kbviewer needs these system packages:$missing"
        echo "Install them with: sudo dnf install -y$missing"
        exit 1
    fi
    echo "Installing system packages:$missing"
    dnf install -y -q $missing
    exit 0
fi

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
    echo "kbviewer needs these system packages:$missing"
    echo "Install them with: sudo apt-get install -y$missing"
    exit 1
fi
echo "Installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
