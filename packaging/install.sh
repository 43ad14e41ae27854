#!/bin/sh
# Installs this kbviewer folder for the current user:
#   ~/.local/opt/kbviewer/          the application (this folder, copied)
#   ~/.local/bin/kbviewer           a link to its executable
#   the application menu entry      (`kbviewer install-desktop`: desktop entry and icons)
# PREFIX=/somewhere sh install.sh installs under /somewhere instead of ~/.local.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX="${PREFIX:-$HOME/.local}"
DEST="$PREFIX/opt/kbviewer"
if [ "$HERE" != "$DEST" ]; then
    mkdir -p "$PREFIX/opt"
    rm -rf "$DEST.new"
    cp -R "$HERE" "$DEST.new"
    rm -rf "$DEST"
    mv "$DEST.new" "$DEST"
fi
mkdir -p "$PREFIX/bin"
ln -sf "$DEST/kbviewer" "$PREFIX/bin/kbviewer"
"$DEST/kbviewer" install-desktop
echo "Installed in $DEST; run it from the application menu or as $PREFIX/bin/kbviewer."
echo "To remove it: $DEST/kbviewer uninstall-desktop && rm -rf $DEST $PREFIX/bin/kbviewer"
