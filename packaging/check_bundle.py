"""The bundle's own checks, used by packaging/check.py: its size against the budget,
what takes the room, and the control room's self-test run inside the frozen program
(packaging/bundle_selftest.py: every tab, the report and receipt PDFs, a pyqtgraph
chart, numpy's linear algebra and the ICU functions Qt calls)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

SIZE_BUDGET_MB = 150.0  # the one-folder bundle (issue 8's aim)
SELFTEST_WAIT = 240.0  # seconds: start, every tab, the PDFs, close


class BundleCheckFailed(RuntimeError):
    pass


def megabytes(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    files = (p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def largest_parts(bundle: Path, count: int = 15) -> list[tuple[str, float]]:
    """The biggest items of the bundle: the program, _internal's top-level entries and,
    inside PySide6/Qt/lib and numpy, each library (where the size sits)."""
    internal = bundle / "_internal"
    parts = [(p.relative_to(bundle), megabytes(p)) for p in bundle.iterdir() if p != internal]
    # _internal/libQt6Core.so.6 and the like are symlinks into PySide6/Qt/lib: not counted.
    for entry in (e for e in internal.iterdir() if not e.is_symlink()):
        if entry.name in ("PySide6", "numpy"):
            for inner in entry.iterdir():
                if inner.name == "Qt":
                    parts += [
                        (lib.relative_to(bundle), megabytes(lib))
                        for lib in (inner / "lib").iterdir()
                    ]
                    parts += [
                        (q.relative_to(bundle), megabytes(q))
                        for q in inner.iterdir()
                        if q.name != "lib"
                    ]
                else:
                    parts.append((inner.relative_to(bundle), megabytes(inner)))
        else:
            parts.append((entry.relative_to(bundle), megabytes(entry)))
    parts.sort(key=lambda part: -part[1])
    return [(str(path), size) for path, size in parts[:count]]


def check_size(bundle: Path) -> dict[str, str]:
    total = megabytes(bundle)
    print(f"   bundle: {total:.1f} MB (budget {SIZE_BUDGET_MB:.0f} MB); the largest parts:")
    for path, size in largest_parts(bundle):
        print(f"   {size:6.1f} MB  {path}")
    if (bundle / "_internal" / "numpy.libs").exists():
        print("   (numpy.libs/: this bundle has the wheel's numpy with OpenBLAS)")
    if total > SIZE_BUDGET_MB:
        raise BundleCheckFailed(f"the bundle is {total:.1f} MB, over {SIZE_BUDGET_MB:.0f} MB")
    return {"size": f"{total:.1f} MB"}


def check_selftest(
    exe: Path, env: dict[str, str], db: Path, port: int, out: Path
) -> dict[str, str]:
    """The frozen control room's self-test over `db` (the one `serve` filled); its
    pictures and PDFs stay in `out` for people to look at."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log_path = db.parent / "selftest.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        gui = subprocess.Popen(
            [str(exe), "run", "--demo", "0", "--port", str(port), "--db", f"sqlite:///{db}"],
            env={**env, "CHARGEDESK_BUNDLE_SELFTEST": str(out)},
            stdout=log,
            stderr=log,
        )
        try:
            code = gui.wait(timeout=SELFTEST_WAIT)
        except subprocess.TimeoutExpired:
            gui.send_signal(signal.SIGTERM)
            gui.wait(timeout=60)
            raise BundleCheckFailed(f"self-test: not done within {SELFTEST_WAIT:.0f} s") from None
    took = time.monotonic() - started
    verdict = out / "selftest.json"
    if code != 0 or not verdict.exists():
        tail = log_path.read_text(errors="replace")[-3000:]
        raise BundleCheckFailed(f"self-test: exit status {code}, no verdict\n{tail}")
    result = json.loads(verdict.read_text())
    checks = result["checks"]
    for name in ("tabs", "collation", "zone names", "codecs", "numpy", "report pdf", "receipt pdf"):
        print(f"   {name}: {checks.get(name)}")
    if not result["ok"]:
        raise BundleCheckFailed("self-test failed:\n" + "\n".join(result["failed"]))
    pdf_text = read_pdfs(out)
    wanted_text = (
        ("report.pdf", "Usage and demand report"),
        ("receipt.pdf", "Receipt no. 4711"),
        ("receipt-printed.pdf", "Receipt no. 4711"),
    )
    for pdf, wanted in wanted_text:
        if pdf in pdf_text and wanted not in pdf_text[pdf]:
            raise BundleCheckFailed(f"{pdf} does not say {wanted!r}")
    errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if "Traceback" in line or " ERROR " in line
    ]
    if errors:
        raise BundleCheckFailed("the self-test's control room logged errors:\n" + "\n".join(errors))
    print(f"   self-test passed in {took:.1f} s; its PDFs and pictures: {out}")
    return {"selftest": f"{took:.1f} s, {len(checks['tabs'])} tabs"}


def read_pdfs(out: Path) -> dict[str, str]:
    """Text of the self-test's PDFs, when pypdf (the dev extra) is in the venv."""
    try:
        from pypdf import PdfReader
    except ImportError:
        print("   (no pypdf in the venv: the PDFs' text is not read)")
        return {}
    # Qt's PDFs space words with tabs, as pypdf reads them: one space between words.
    return {
        pdf.name: " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
        for pdf in sorted(out.glob("*.pdf"))
    }
