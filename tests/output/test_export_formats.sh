#!/usr/bin/env bash
# PDF, SVG and PNG exports checked with independent tools: pdfinfo and
# pdftoppm (poppler), rsvg-convert (librsvg), and the PNG header.
set -u
LW=${1:?usage: test_export_formats.sh lotuswall outdir}
out=${2:-/tmp}/export
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
scenes=(situation gdp industry demand sectors enterprise projects economy)
now=2024-11-15T09:30:00

"$LW" export --now $now --out "$out/report.pdf" "${scenes[@]}" || bad "pdf export"
pages=$(pdfinfo "$out/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[[ "$pages" == "${#scenes[@]}" ]] && ok || bad "pdf pages: $pages, want ${#scenes[@]}"
pdffonts "$out/report.pdf" 2>/dev/null | grep -q "NotoSansCJK" && ok || bad "pdf does not embed Noto Sans CJK"
pdffonts "$out/report.pdf" 2>/dev/null | awk 'NR > 2 && $(NF-2) != "yes" {exit 1}' && ok || bad "a pdf font is not embedded"
pdftoppm -r 20 -png -f 1 -l 1 "$out/report.pdf" "$out/page" && [[ -s "$out/page-1.png" ]] && ok || bad "pdftoppm"
# the PDF is vector: text is text
pdftotext -f 1 -l 1 "$out/report.pdf" - 2>/dev/null | grep -q "地区生产总值" && ok || bad "pdf text not extractable"

# vector all the way: no page rasterised into a fallback image
[[ $(pdfimages -list "$out/report.pdf" 2>/dev/null | tail -n +3 | wc -l) -eq 0 ]] && ok || bad "pdf contains raster images"

"$LW" export --now $now --theme light --out "$out/{scene}.svg" gdp economy || bad "svg export"
for s in gdp economy; do
    rsvg-convert -w 480 -o "$out/$s-svg.png" "$out/$s.svg" && [[ -s "$out/$s-svg.png" ]] && ok || bad "rsvg-convert $s"
    grep -q '<image' "$out/$s.svg" && bad "$s.svg contains a raster image" || ok
done

for size in 1920x1080 3840x2160 7680x2160; do
    "$LW" export --now $now --size $size --out "$out/situation-$size.png" situation || bad "png $size"
    w=${size%x*} h=${size#*x}
    got=$(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$out/situation-$size.png")
    [[ "$got" == "$size" ]] && ok || bad "png size $got, want $size"
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
