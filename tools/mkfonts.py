#!/usr/bin/env python3
"""Builds kaowu's document fonts from Debian's Noto CJK SC faces (fonts-noto-cjk).

    mkfonts.py --out DIR [--outline ttf|cff] [--charset gbk|gb2312] [--text FILE]...

Writes DIR/KaowuSansSC-Regular.ttf, -Bold.ttf, DIR/KaowuSerifSC-Regular.ttf, -Bold.ttf
(.otf with --outline cff): the Simplified Chinese faces of Noto Sans CJK (黑体) and Noto
Serif CJK (宋体), the same glyphs, reduced to the characters documents need in practice and
renamed "Kaowu Sans SC" / "Kaowu Serif SC" so that they never stand in for the full faces.

Why: cairo 1.16 embeds a CFF face in a PDF by copying the face's whole CFF table (~16 MB for
Noto CJK) and subsetting it with every subroutine kept, for every face of every document; a
TrueType face it reads glyph by glyph. The reduced faces keep the look and cost cairo a
small fraction of that (bench/RESULTS.md, the ticket section). A character outside them
falls back to the full Noto CJK SC faces and to BabelStone Han (src/render/pdf.h).

The characters: ASCII and Latin-1, general punctuation, arrows, enclosed numbers, shapes,
CJK symbols and punctuation, full-width forms, every character of GBK (all 20,902 ideographs
of the CJK Unified Ideographs block, which holds GB 2312's 6,763 of levels 1 and 2 and the
characters names use beyond them, 喆 堃 垚 昇 赟 …; --charset gb2312 for GB 2312's alone, a
third of the size, but a name with such a character then costs the full Noto face), and
every character of the --text files (the message catalogue and the document templates).
CJK Extension A and beyond (䶮 𪚥 …) stay with the fallbacks. Outlines are desubroutinized and, with
--outline ttf (the default), converted from cubic to quadratic curves (cu2qu, at most 1 unit
of the 1,000-unit em off).

Needs Debian's python3-fonttools (run it with /usr/bin/python3). Deterministic: the same
inputs give the same files. Writes each file under a temporary name and renames it. Made
once per machine: the files are kept in $KW_FONT_CACHE (default ~/.cache/kaowu-fonts), under
the digest of what they are made of, and other build directories copy them from there.
"""
import argparse
import hashlib
import os
import shutil
import sys
import tempfile

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

NOTO_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk"]
FACES = [  # (source file, family, style, our family, our file stem)
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Regular", "Kaowu Sans SC", "KaowuSansSC-Regular"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Bold", "Kaowu Sans SC", "KaowuSansSC-Bold"),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Regular", "Kaowu Serif SC", "KaowuSerifSC-Regular"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Bold", "Kaowu Serif SC", "KaowuSerifSC-Bold"),
]


def find_source(name):
    for d in NOTO_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    sys.exit("mkfonts: %s not found in %s (install fonts-noto-cjk)" % (name, ", ".join(NOTO_DIRS)))


def charset(kind, texts):
    cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for lo, hi in [(0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2460, 0x24FF),
                   (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
        cps |= set(range(lo, hi + 1))
    lead, trail = ((0xA1, 0xF8), (0xA1, 0xFF)) if kind == "gb2312" else ((0x81, 0xFF), (0x40, 0xFF))
    for a in range(*lead):
        for b in range(*trail):
            try:
                cps |= {ord(c) for c in bytes([a, b]).decode(kind)}
            except UnicodeDecodeError:
                pass
    for t in texts:
        with open(t, encoding="utf-8", errors="replace") as f:
            cps |= {ord(c) for c in f.read() if ord(c) >= 0x20}
    return cps


def load_face(path, family, style, lazy=None):
    for f in TTCollection(path, lazy=lazy).fonts:
        n = f["name"]
        if n.getDebugName(1) == family + (" " + style if style != "Regular" else "") or (
                n.getDebugName(1) == family and n.getDebugName(2) == style):
            return f
        if n.getDebugName(16) == family and n.getDebugName(17) == style:
            return f
    sys.exit("mkfonts: no face %s %s in %s" % (family, style, path))


def rename(font, family, style, stem):
    name = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}
    name.names = [r for r in name.names if r.nameID in keep]
    version = "Version %.3f" % font["head"].fontRevision
    for nid, s in [(1, family), (2, style), (3, stem + ";" + version), (4, family + " " + style),
                   (5, version), (6, stem)]:
        name.setName(s, nid, 3, 1, 0x409)
        name.setName(s, nid, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [stem]
        top = cff.topDictIndex[0]
        for k, v in [("FullName", family + " " + style), ("FamilyName", family)]:
            if hasattr(top, k):
                setattr(top, k, v)


def to_truetype(font):
    """Replaces the CFF outlines by glyf ones (quadratic, direction reversed as TrueType wants)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for g in order:
        pen = TTGlyphPen(None)
        gs[g].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[g] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for k in ["maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
              "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
              "maxComponentElements", "maxPoints", "maxContours", "maxCompositePoints",
              "maxCompositeContours", "maxComponentDepth"]:
        setattr(maxp, k, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def cache_root():
    """Where made files are kept for the other build directories of this machine:
    $KW_FONT_CACHE, else $XDG_CACHE_HOME/kaowu-fonts (~/.cache/kaowu-fonts)."""
    if os.environ.get("KW_FONT_CACHE"):
        return os.environ["KW_FONT_CACHE"]
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "kaowu-fonts")


def keep(outs, cache):
    """Copies the made files into the cache (best effort: a cache that cannot be written
    only means the next build directory makes its own)."""
    if os.path.isdir(cache):
        return
    tmp = None
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        tmp = tempfile.mkdtemp(dir=os.path.dirname(cache))
        for o in outs:
            shutil.copyfile(o, os.path.join(tmp, os.path.basename(o)))
        os.rename(tmp, cache)
        tmp = None
    except OSError:
        pass
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


def write_stamp(stamp, digest):
    with open(stamp + ".tmp", "w") as f:
        f.write(digest + "\n")
    os.replace(stamp + ".tmp", stamp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--outline", choices=["ttf", "cff"], default="ttf")
    ap.add_argument("--charset", choices=["gbk", "gb2312"], default="gbk")
    ap.add_argument("--text", action="append", default=[])
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    cps = charset(a.charset, a.text)
    ext = ".ttf" if a.outline == "ttf" else ".otf"
    outs = [os.path.join(a.out, f[4] + ext) for f in FACES]
    # What the files are made of: this tool, the options, the characters, the sources. When a
    # text changed but not its characters (an edited message using characters already in),
    # the files stay as they are and are only touched: no minute-long rebuild.
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    h.update(("%s %s\n" % (a.outline, a.charset)).encode())
    # only the characters the faces have count: a text gaining a character they lack (an
    # emoji, a rare ideograph) changes nothing in the files
    have = set()
    for f in FACES:
        if f[2] == "Regular":
            have |= set(load_face(find_source(f[0]), f[1], f[2], lazy=True)["cmap"].getBestCmap())
    h.update(",".join("%x" % c for c in sorted(cps & have)).encode())
    for f in FACES:
        st = os.stat(find_source(f[0]))
        h.update(("%s %d %d\n" % (f[0], st.st_size, int(st.st_mtime))).encode())
    stamp = os.path.join(a.out, ".mkfonts-" + a.outline)
    try:
        with open(stamp) as f:
            same = f.read().strip() == h.hexdigest()
    except OSError:
        same = False
    cache = os.path.join(cache_root(), h.hexdigest())
    if same and all(os.path.exists(o) for o in outs):
        for o in outs:
            os.utime(o)
        keep(outs, cache)
        return
    # Another build directory on this machine made the same files: copy them.
    if all(os.path.exists(os.path.join(cache, os.path.basename(o))) for o in outs):
        for o in outs:
            shutil.copyfile(os.path.join(cache, os.path.basename(o)), o + ".tmp")
            os.replace(o + ".tmp", o)
        write_stamp(stamp, h.hexdigest())
        print("mkfonts: %d faces copied from %s" % (len(outs), cache))
        return
    for src, family, style, ours, stem in FACES:
        font = load_face(find_source(src), family, style)
        opt = subset.Options()
        opt.desubroutinize = True
        opt.name_IDs = ["*"]
        opt.name_languages = ["*"]
        opt.notdef_outline = True
        opt.glyph_names = False
        opt.hinting = False
        # The default features less the vertical ones and 'locl' (which would pull in the
        # Japanese, Korean and traditional forms; the faces are SC already).
        opt.layout_features = [f for f in opt.layout_features
                               if f not in ("locl", "vert", "vrt2", "vkrn", "vpal", "vhal", "valt")]
        s = subset.Subsetter(opt)
        s.populate(unicodes=sorted(cps))
        s.subset(font)
        rename(font, ours, style, stem)
        if a.outline == "ttf":
            to_truetype(font)
        out = os.path.join(a.out, stem + ext)
        font.save(out + ".tmp", reorderTables=True)
        os.replace(out + ".tmp", out)
        print("mkfonts: %s (%d glyphs, %d KB)" % (out, len(font.getGlyphOrder()),
                                                   os.path.getsize(out) // 1024))
    write_stamp(stamp, h.hexdigest())
    keep(outs, cache)


if __name__ == "__main__":
    main()
