"""Translations: extract user-facing strings to .ts sources, compile them to .qm.

Every module of the UI translates through a small `_tr(text)` helper that
calls `QCoreApplication.translate("<Context>", text)`. Qt's own lupdate cannot
follow such helpers, so `extract()` reads the Python sources itself: the
context is the literal in the module's translate call, the messages are the
string literals passed to `_tr`/`tr`. Sources live in resources/translations
(`chargedesk_sv.ts`); `compile_all()` runs Qt's lrelease into
app/ui/translations, which the installer scripts do at build time.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
PROJECT = UI_DIR.parent.parent
SOURCES = PROJECT / "resources" / "translations"
LANGUAGES = ("sv",)
HELPERS = {"_tr", "tr"}


def translations_dir() -> Path:
    return UI_DIR / "translations"


def _module_messages(path: Path) -> dict[str, set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    context = None
    found: dict[str, set[str]] = defaultdict(set)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        args = node.args
        literal = args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)
        if name == "translate" and len(args) >= 2 and literal:
            ctx = args[0]
            assert isinstance(ctx, ast.Constant)
            msg = args[1]
            if isinstance(msg, ast.Constant) and isinstance(msg.value, str):
                found[str(ctx.value)].add(msg.value)
            elif context is None:
                context = str(ctx.value)
        elif name in HELPERS and literal:
            first = args[0]
            assert isinstance(first, ast.Constant)
            found["__module__"].add(str(first.value))
    if "__module__" in found:
        helper_messages = found.pop("__module__")
        if context is not None:
            found[context] |= helper_messages
    return found


def extract(root: Path = UI_DIR) -> dict[str, set[str]]:
    """Every (context → messages) pair the UI shows."""
    messages: dict[str, set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        for context, texts in _module_messages(path).items():
            messages[context] |= texts
    return messages


def update_ts(language: str, messages: dict[str, set[str]]) -> Path:
    """Write the .ts file, keeping existing translations and marking new text unfinished."""
    path = SOURCES / f"chargedesk_{language}.ts"
    known: dict[tuple[str, str], str] = {}
    if path.exists():
        for ctx in ET.parse(path).getroot().iter("context"):
            name = ctx.findtext("name") or ""
            for message in ctx.iter("message"):
                source = message.findtext("source") or ""
                translation = message.find("translation")
                if (
                    translation is not None
                    and translation.text
                    and (translation.get("type") not in ("unfinished", "obsolete"))
                ):
                    known[(name, source)] = translation.text
    root = ET.Element("TS", version="2.1", language=language)
    for context in sorted(messages):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source in sorted(messages[context]):
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = source
            translation = ET.SubElement(message, "translation")
            text = known.get((context, source))
            if text is None:
                translation.set("type", "unfinished")
            else:
                translation.text = text
    ET.indent(root)
    SOURCES.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return path


def read_ts(language: str) -> dict[tuple[str, str], str]:
    """(context, source) → finished translation, from the .ts source."""
    path = SOURCES / f"chargedesk_{language}.ts"
    done: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.text and not translation.get("type"):
                done[(name, message.findtext("source") or "")] = translation.text
    return done


def untranslated(language: str) -> list[tuple[str, str]]:
    path = SOURCES / f"chargedesk_{language}.ts"
    missing = []
    for ctx in ET.parse(path).getroot().iter("context"):
        for message in ctx.iter("message"):
            translation = message.find("translation")
            if translation is None or not translation.text or translation.get("type"):
                missing.append((ctx.findtext("name") or "", message.findtext("source") or ""))
    return missing


def _lrelease() -> str:
    candidates = [
        Path(sys.executable).parent / "pyside6-lrelease",
        shutil.which("pyside6-lrelease"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise RuntimeError("pyside6-lrelease not found; install PySide6-Essentials")


def compile_all() -> list[Path]:
    out_dir = translations_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for language in LANGUAGES:
        source = SOURCES / f"chargedesk_{language}.ts"
        target = out_dir / f"chargedesk_{language}.qm"
        subprocess.run([_lrelease(), "-silent", str(source), "-qm", str(target)], check=True)
        made.append(target)
    return made


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "compile"
    if command == "update":
        messages = extract()
        for language in LANGUAGES:
            path = update_ts(language, messages)
            print(f"{path}: {len(untranslated(language))} untranslated")
        return 0
    if command == "check":
        missing = [m for language in LANGUAGES for m in untranslated(language)]
        for context, source in missing:
            print(f"untranslated: [{context}] {source}")
        return 1 if missing else 0
    for path in compile_all():
        print(f"compiled {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
