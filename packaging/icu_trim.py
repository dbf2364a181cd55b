"""Trim the ICU data library that the PySide6 wheel's QtCore links (libicudata.so.NN).

The wheel's ICU carries data for every language ICU knows (32 MB). Qt uses ICU for
exactly four things, which are the ICU functions libQt6Core imports (`objdump -T`):

- case mapping (u_strToUpper/u_strToLower): code and tables inside libicuuc, no data file;
- collation (ucol_*: QCollator, e.g. the file dialog's sorting): coll/;
- time zones (ucal_*: canonical ids, display names): zoneinfo64, metaZones, zone/ and
  the locale data of the language asked for;
- text codecs (ucnv_*: QStringDecoder/QStringEncoder for encodings Qt lacks): *.cnv.

This keeps all of that for the root locale (ICU's fallback for every language) and for
English and the languages ChargeDesk is translated into, the collation of every language
(the file dialogs sort names the way the system's language does), every codec and every
file that is not one language's data, and drops the rest:

- the other languages' names, number, currency and unit data (ICU falls back to the
  root locale, as it does for a language it has no data for: a zone's name, which
  ChargeDesk never shows, comes out in English or as "GMT+01:00" in German);
- the break-iterator dictionaries (brkitr/*.dict) and the transliterators (translit/),
  which no function Qt imports can reach.

It rewrites the library in place: the trimmed ICU common data (the "CmnD" package,
entries in the same sorted order) in the same exported symbol (icudtNN_dat), assembled
and linked with binutils (`as`, `ld`), with the same SONAME. Run by
packaging/linux/build.sh after PyInstaller:

    python packaging/icu_trim.py dist/chargedesk/_internal/PySide6/Qt/lib/libicudata.so.73 en sv
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# A locale's own file: language, optional script, optional region, optional variant
# (de, zh_Hant_TW, es_419, ca_ES_VALENCIA). Not: root, pool, res_index, supplementalData …
LOCALE_FILE = re.compile(
    r"^([a-z]{2,3})(_[A-Z][a-z]{3})?(_(?:[A-Z]{2}|[0-9]{3}))?(_[A-Z0-9]{2,})?\.res$"
)
# Trees whose data stays for every language: collation (QCollator, file dialogs).
ALL_LANGUAGES_TREES = ("coll",)
# Trees no ICU function that Qt imports reads (see the module docstring).
UNREACHED_TREES = ("translit",)
UNREACHED_SUFFIXES = (".dict",)  # brkitr dictionaries (CJK, Thai, Khmer, Lao, Burmese)
ALIGN = 16  # ICU aligns every item of a common data package to 16 bytes


@dataclass(frozen=True)
class Item:
    name: str  # e.g. icudt73l/coll/sv.res
    data: bytes


def wanted(name: str, languages: tuple[str, ...]) -> bool:
    """Whether a package item stays (name like icudt73l/zone/de_AT.res)."""
    parts = name.split("/")
    if len(parts) > 2 and parts[1] in UNREACHED_TREES:
        return False
    if name.endswith(UNREACHED_SUFFIXES):
        return False
    if len(parts) > 2 and parts[1] in ALL_LANGUAGES_TREES:
        return True
    found = LOCALE_FILE.match(parts[-1])
    return found is None or found.group(1) in languages


def read_package(data: bytes) -> tuple[bytes, list[Item]]:
    """The package's header and its items, from ICU's common data format."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError("not ICU common data (CmnD)")
    if data[8] != 0:  # UDataInfo.isBigEndian
        raise ValueError("big-endian ICU data is not handled")
    toc = data[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(toc)]
    items = []
    for (name_at, data_at), end in zip(entries, ends, strict=True):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        items.append(Item(name, toc[data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[Item]) -> bytes:
    """The same format: header, count, (name offset, data offset) pairs, names, items."""
    names = b"".join(item.name.encode("ascii") + b"\0" for item in items)
    names_at = 4 + 8 * len(items)
    first_item = -(-(names_at + len(names)) // ALIGN) * ALIGN
    toc = bytearray(struct.pack("<I", len(items)))
    blob = bytearray()
    name_at = names_at
    for item in items:
        toc += struct.pack("<II", name_at, first_item + len(blob))
        name_at += len(item.name) + 1
        blob += item.data
        blob += b"\0" * (-len(blob) % ALIGN)
    toc += names
    toc += b"\0" * (first_item - len(toc))
    return header + bytes(toc) + bytes(blob)


def exported_data(library: Path) -> tuple[str, bytes]:
    """The icudtNN_dat symbol's name and bytes (binutils' readelf says where it is)."""
    symbols = subprocess.run(
        ["readelf", "-W", "--dyn-syms", str(library)], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(
        r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s.*\s(icudt\d+_dat)$", symbols, re.M
    )
    if found is None:
        raise ValueError(f"{library}: no icudtNN_dat symbol")
    address, size, symbol = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    sections = subprocess.run(
        ["readelf", "-W", "-S", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for line in sections.splitlines():
        fields = line.replace("]", "] ").split()
        if "PROGBITS" not in fields:
            continue
        at = fields.index("PROGBITS")
        start, offset, length = (int(fields[at + i], 16) for i in (1, 2, 3))
        if start <= address < start + length:
            raw = library.read_bytes()
            begin = offset + address - start
            return symbol, raw[begin : begin + size]
    raise ValueError(f"{library}: {symbol} is in no section")


def soname(library: Path) -> str:
    dynamic = subprocess.run(
        ["readelf", "-d", str(library)], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"\(SONAME\)\s+Library soname: \[(.+)\]", dynamic)
    return found.group(1) if found else library.name


def link(symbol: str, package: bytes, name: str, out: Path) -> None:
    """A data-only shared library exporting `symbol` = `package`, SONAME `name`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(package)
        (work / "data.s").write_text(
            f"\t.section .rodata\n\t.balign {ALIGN}\n\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n\t.size {symbol}, {len(package)}\n"
            f'{symbol}:\n\t.incbin "{work / "data.bin"}"\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", str(work / "data.o"), str(work / "data.s")], check=True)
        subprocess.run(
            [
                "ld",
                "-shared",
                "-soname",
                name,
                "-z",
                "noexecstack",
                "-o",
                str(out),
                str(work / "data.o"),
            ],
            check=True,
        )


def trim(library: Path, languages: tuple[str, ...]) -> tuple[int, int, int]:
    """Rewrite `library` with only the data kept; (items dropped, bytes before, after)."""
    symbol, data = exported_data(library)
    header, items = read_package(data)
    kept = [item for item in items if wanted(item.name, languages)]
    package = write_package(header, kept)
    if read_package(package)[1] != kept:  # the written package reads back the same
        raise ValueError("the trimmed ICU package does not read back")
    before = library.stat().st_size
    replacement = library.with_name(library.name + ".trimmed")
    link(symbol, package, soname(library), replacement)
    replacement.replace(library)
    return len(items) - len(kept), before, library.stat().st_size


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("library", type=Path, help="libicudata.so.NN to trim in place")
    parser.add_argument("languages", nargs="+", help="languages whose data stays (en sv)")
    args = parser.parse_args(argv)
    dropped, before, after = trim(args.library, tuple(args.languages))
    print(
        f"{args.library.name}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB "
        f"({dropped} items dropped; kept root and {', '.join(args.languages)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
