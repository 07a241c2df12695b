#!/usr/bin/env python3
"""The PNG files of `lotuswall export`, read by a decoder of their own: a
chunk parser with Python's zlib (and pngcheck, where it is installed). Every
shipped scene at 1920×1080 on three threads: the signature, each chunk's
CRC, an IHDR of 8-bit RGB, IDAT data that inflates (its Adler-32 checked by
zlib) to exactly one filter byte and 3 × width bytes per row, then IEND;
and situation's file, drawn after the others with the text caches they
left (one set for all the files), is byte for byte the scene exported
alone on one thread."""
import glob, os, shutil, struct, subprocess, sys, tempfile, zlib
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
W, H = 1920, 1080
scenes = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob("scenes/*.json"))


def chunks(data):
    """(type, body, crc_ok) of every chunk after the signature."""
    pos, out = 8, []
    while pos + 12 <= len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        out.append((kind.decode("latin-1"), body, zlib.crc32(kind + body) == crc))
        pos += 12 + n
    check(pos == len(data), f"no bytes after the last chunk ({len(data) - pos} left)")
    return out


def check_png(path, name):
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{name}: PNG signature")
    cs = chunks(data)
    check(all(ok for _, _, ok in cs), f"{name}: every chunk's CRC")
    kinds = [k for k, _, _ in cs]
    check(kinds[0] == "IHDR" and kinds[-1] == "IEND" and set(kinds[1:-1]) == {"IDAT"},
          f"{name}: IHDR, IDAT…, IEND (got {sorted(set(kinds))})")
    w, h, depth, colour, comp, filt, inter = struct.unpack(">IIBBBBB", cs[0][1])
    check((w, h, depth, colour, comp, filt, inter) == (W, H, 8, 2, 0, 0, 0),
          f"{name}: IHDR {w}x{h} depth {depth} colour {colour}")
    try:
        raw = zlib.decompress(b"".join(b for k, b, _ in cs if k == "IDAT"))
    except zlib.error as e:
        check(False, f"{name}: IDAT inflates ({e})")
        return
    row = 1 + 3 * W
    check(len(raw) == H * row, f"{name}: {len(raw)} bytes of image data, expected {H * row}")
    check(all(raw[y * row] <= 4 for y in range(H)), f"{name}: every row's filter byte")
    # a dashboard is not one colour: the picture has content
    check(len(set(raw[(H // 2) * row + 1:(H // 2 + 1) * row])) > 8, f"{name}: a row with content")
    if shutil.which("pngcheck"):
        r = subprocess.run(["pngcheck", path], capture_output=True, text=True)
        check(r.returncode == 0, f"{name}: pngcheck: {r.stdout.strip()}")


with tempfile.TemporaryDirectory() as tmp:
    common = [lw, "export", "--now", "2024-11-15T09:30:00", "--size", f"{W}x{H}"]
    subprocess.run(common + ["--threads", "3", "--out", f"{tmp}/{{scene}}.png"] + scenes, check=True)
    for s in scenes:
        check_png(f"{tmp}/{s}.png", s)
    subprocess.run(common + ["--threads", "1", "--out", f"{tmp}/one.png", "situation"], check=True)
    check(open(f"{tmp}/one.png", "rb").read() == open(f"{tmp}/situation.png", "rb").read(),
          "situation: the same file alone on 1 thread and after the others on 3")
finish()
