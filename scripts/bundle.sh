#!/bin/sh
# Builds the standalone bundle: dist/kbviewer-VERSION-linux-ARCH.tar.gz, a folder
# holding the kbviewer executable (Python, Qt and the dependencies inside), its
# desktop entry, install.sh and INSTALL.txt.
#   sh scripts/bundle.sh [PYTHON [OUT]]   PYTHON has the `.[bundle]` extra installed;
#                                         OUT (default dist) gets the folder and the .tar.gz
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON="${1:-$ROOT/.venv/bin/python}"
OUT=$(mkdir -p "${2:-$ROOT/dist}" && cd "${2:-$ROOT/dist}" && pwd)
WORK="$ROOT/build/bundle"
[ -n "${2:-}" ] && WORK="$OUT/build"
cd "$ROOT"
version=$("$PYTHON" -c 'import viewer; print(viewer.__version__)')
name="kbviewer-$version-linux-$(uname -m)"
rm -rf "$WORK" "$OUT/$name" "$OUT/$name.tar.gz"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$WORK/dist" \
    --workpath "$WORK/work" packaging/kbviewer.spec
mv "$WORK/dist/kbviewer" "$OUT/$name"
cp packaging/install.sh packaging/INSTALL.txt packaging/kbviewer.desktop "$OUT/$name/"
chmod +x "$OUT/$name/install.sh"
tar -C "$OUT" -czf "$OUT/$name.tar.gz" "$name"
echo "Built $OUT/$name.tar.gz ($(du -sh "$OUT/$name.tar.gz" | cut -f1); unpacked $(du -sh "$OUT/$name" | cut -f1))"
