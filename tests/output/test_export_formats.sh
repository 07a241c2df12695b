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

# a splice wall of three 1920×1080 outputs with 40-pixel bezels: the picture is
# the outputs edge to edge, each exactly its rectangle of the canvas
cat > "$out/wall3.json" <<'EOF'
{"kind": "wall", "version": 1, "name": "three panels, 40 px bezels", "outputs": [
  {"name": "a", "display": 0, "x": 0, "y": 0, "width": 1920, "height": 1080},
  {"name": "b", "display": 1, "x": 1960, "y": 0, "width": 1920, "height": 1080},
  {"name": "c", "display": 2, "x": 3920, "y": 0, "width": 1920, "height": 1080}]}
EOF
"$LW" export --now $now --wall "$out/wall3.json" --out "$out/wall3.png" situation || bad "export --wall"
"$LW" export --now $now --size 5840x1080 --out "$out/canvas3.png" situation || bad "canvas export"
[[ $(identify -format %wx%h "$out/wall3.png") == 5760x1080 ]] && ok || bad "wall png is not 5760x1080"
for k in "0 0" "1920 1960" "3840 3920"; do
    set -- $k
    convert "$out/wall3.png" -crop 1920x1080+$1+0 +repage "$out/seam-a.png"
    convert "$out/canvas3.png" -crop 1920x1080+$2+0 +repage "$out/seam-c.png"
    n=$(compare -metric AE "$out/seam-a.png" "$out/seam-c.png" null: 2>&1)
    [[ "$n" == 0 ]] && ok || bad "wall output at canvas x=$2: $n pixels differ from the canvas"
done
"$LW" export --now $now --wall "$out/wall3.json" --out "$out/wall3.pdf" situation || bad "pdf --wall"
pdfinfo "$out/wall3.pdf" | grep -q "^Page size: *5760 x 1080 pts" && ok || bad "wall pdf page size"
msg=$("$LW" export --size 800x600 --wall "$out/wall3.json" --out "$out/x.png" situation 2>&1)
rc=$?
[[ $rc == 2 && "$msg" == "lotuswall export: --size and --wall: the wall file gives the size (its canvas)" ]] \
    && ok || bad "--size with --wall: rc $rc: $msg"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
