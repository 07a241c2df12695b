#!/usr/bin/env bash
# Installs what lotuswall needs on Debian 12, once. Sourced by tools/demo and
# tools/test; every package is named here and nowhere else.
#   build:  gcc, cmake, pkg-config and the -dev packages of the libraries;
#           file (CPack reads the program's ELF header with it for the .deb)
#   fonts:  Noto Sans CJK SC (Chinese), Roboto Condensed (numerals)
#   tests:  cmocka, poppler-utils (pdfinfo/pdftoppm), librsvg2-bin
#           (rsvg-convert), python3-jsonschema, clang + libFuzzer, postgresql
#           (a server of the tests' own), xvfb + imagemagick (the wall on a
#           real X server, grabbed and compared), Xorg with the dummy driver
#           and xrandr (displays that change modes and switch off), strace (the
#           units' sandboxes checked against what the programs really do),
#           chromium + chromedriver + selenium (the console in a real browser),
#           pngcheck (exported PNGs checked by another decoder),
#           mmdebstrap + systemd-container (the Debian package in a booted
#           Debian 12 root: tests/pkg/test_deb.sh)
LW_PACKAGES=(
  build-essential cmake pkg-config file
  libcairo2-dev libpango1.0-dev libjansson-dev zlib1g-dev libpq-dev libsdl2-dev
  libsystemd-dev libmicrohttpd-dev libx11-dev libxrandr-dev libsodium-dev
  libcurl4-openssl-dev nettle-dev libisal-dev
  fonts-noto-cjk fonts-roboto-unhinted tzdata
)
LW_TEST_PACKAGES=(
  libcmocka-dev poppler-utils librsvg2-bin python3 python3-jsonschema postgresql
  xvfb imagemagick xdotool systemd
  xserver-xorg-core xserver-xorg-video-dummy x11-xserver-utils
  clang libclang-rt-14-dev strace
  chromium chromium-driver python3-selenium pngcheck
  mmdebstrap systemd-container
)

lw_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "installing: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
