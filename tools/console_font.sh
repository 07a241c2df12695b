#!/usr/bin/env bash
# Makes assets/console/NotoSansSC-gb2312.woff2, the console's own font: Noto
# Sans CJK SC (Debian's fonts-noto-cjk) cut down to ASCII, the 7,445
# characters of GB 2312 and a few signs the console uses, without hinting or
# layout features (1.1 MB instead of 16 MB). The console asks the device's
# own Noto Sans CJK SC first and fetches this only where it is missing; a
# character outside the set falls back to the device's fonts. Licence: SIL
# Open Font License 1.1 (fonts/NotoSansCJK-OFL.txt). Run by hand when the
# set changes; needs python3-fonttools and python3-brotli (not build deps).
set -euo pipefail
cd "$(dirname "$0")/.."
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" <<'PY'
import sys
chars = {chr(c) for c in range(0x20, 0x7f)}
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars |= set("·—–“”‘’…※℃％（）《》【】〔〕、。，：；！？￥›»«→←↑↓▲▼●○■□◆◇★☆✓✗")
open(sys.argv[1], "w").write("".join(sorted(chars)))
PY
python3 -m fontTools.subset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
    --font-number=2 --text-file="$chars" --flavor=woff2 --no-hinting --desubroutinize \
    --layout-features='' --name-IDs='*' --name-languages='*' \
    --output-file=assets/console/NotoSansSC-gb2312.woff2
ls -l assets/console/NotoSansSC-gb2312.woff2
