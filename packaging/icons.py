"""Application icons for every platform, drawn from app/ui/resources/chargedesk.svg.

`python packaging/icons.py` renders the SVG with QtSvg and writes packaging/icons/:
hicolor PNGs for the Linux desktop (16…512 px), chargedesk.ico (Windows, PNG
entries up to 256 px) and chargedesk.icns (macOS, PNG entries up to 1024 px).
The files are committed (the builds need no display and no extra step); run
this again after the SVG changes. tests/unit/test_packaging.py checks that the
scalable copy still matches the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "app" / "ui" / "resources" / "chargedesk.svg"
OUT = ROOT / "packaging" / "icons"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09",
              1024: b"ic10"}  # fmt: skip


def render_png(svg: bytes, size: int) -> bytes:
    """The SVG drawn on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The binding wants the format as str at run time; its stubs say bytes.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    return bytes(buffer.data().data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (Windows Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns whose elements are PNG images."""
    body = b""
    for size in sorted(pngs):
        body += ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def generate(out: Path = OUT) -> list[Path]:
    """Write every icon file under `out`; return their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    svg = SVG.read_bytes()
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *ICNS_TYPES})
    pngs = {size: render_png(svg, size) for size in sizes}
    written = []
    for size in HICOLOR_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / "chargedesk.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / "chargedesk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(svg)
    written.append(scalable)
    for name, data in (
        ("chargedesk.png", pngs[256]),
        ("chargedesk.ico", ico({s: pngs[s] for s in ICO_SIZES})),
        ("chargedesk.icns", icns({s: pngs[s] for s in ICNS_TYPES})),
    ):
        (out / name).write_bytes(data)
        written.append(out / name)
    del app
    return written


if __name__ == "__main__":
    for made in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(made.relative_to(ROOT) if made.is_relative_to(ROOT) else made)
