#!/bin/sh
# Builds the standalone bundle: dist/kbviewer-VERSION-linux-ARCH.tar.gz, a folder
# holding the kbviewer executable (Python, Qt and the dependencies inside), its
# desktop entry, install.sh and INSTALL.txt.
#   sh scripts/bundle.sh [PYTHON]     PYTHON has the `.[bundle]` extra installed
set -eu
PYTHON="${1:-.venv/bin/python}"
cd "$(dirname "$0")/.."
version=$("$PYTHON" -c 'import viewer; print(viewer.__version__)')
name="kbviewer-$version-linux-$(uname -m)"
rm -rf build/bundle "dist/$name" "dist/$name.tar.gz"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath build/bundle/dist \
    --workpath build/bundle/work packaging/kbviewer.spec
mkdir -p dist
mv build/bundle/dist/kbviewer "dist/$name"
cp packaging/install.sh packaging/INSTALL.txt packaging/kbviewer.desktop "dist/$name/"
chmod +x "dist/$name/install.sh"
tar -C dist -czf "dist/$name.tar.gz" "$name"
echo "Built dist/$name.tar.gz ($(du -sh "dist/$name.tar.gz" | cut -f1); unpacked $(du -sh "dist/$name" | cut -f1))"
