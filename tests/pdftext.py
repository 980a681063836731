"""Reads back the text fpdf2 drew into a PDF, for tests of the handout and the packet.

No PDF library is a dependency, so this decodes just what fpdf2 writes: streams read by
their /Length (data may end in a CR byte), Flate-decoded; string escapes; embedded
TrueType subsets through their ToUnicode maps; core-font text as Latin-1.
"""

from __future__ import annotations

import re
import zlib

_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _stream(body: bytes) -> bytes:
    m = re.search(rb"/Length (\d+).*?stream\r?\n", body, re.S)
    if m is None:
        return b""
    raw = body[m.end():m.end() + int(m[1])]
    return zlib.decompress(raw) if b"FlateDecode" in body else raw


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        code = m[1]
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return bytes([_ESCAPES.get(code[0], code[0])])

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def _fonts(objects: dict[int, bytes]) -> dict[bytes, dict[int, str] | None]:
    fonts: dict[bytes, dict[int, str] | None] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(ref), b""))
            if to_unicode is None:
                fonts[name] = None
                continue
            cmap: dict[int, str] = {}
            text = _stream(objects[int(to_unicode[1])])
            for chunk in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
                for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", chunk):
                    cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            fonts[name] = cmap
    return fonts


def pdf_text(data: bytes) -> str:
    """All text drawn in the PDF, whitespace collapsed so wrapped lines read as one run."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}
    fonts = _fonts(objects)
    pieces: list[str] = []
    for body in objects.values():
        content = _stream(body) if b"/Length" in body else b""
        current: dict[int, str] | None = None
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            if token[1] is not None:
                current = fonts.get(token[1])
                continue
            raw = _unescape(token[2])
            if current is None:
                pieces.append(raw.decode("latin-1"))
            else:
                pieces.append("".join(current.get(int.from_bytes(raw[i:i + 2], "big"), "?")
                                      for i in range(0, len(raw) - 1, 2)))
    return " ".join(" ".join(pieces).split())


def pdf_font_sizes(data: bytes) -> list[float]:
    """Every font size set in the page streams (``/F1 12.00 Tf``), in points."""
    sizes: list[float] = []
    for match in re.finditer(rb"\d+ 0 obj(.*?)endobj", data, re.S):
        body = match[1]
        if b"stream" not in body:
            continue
        try:
            stream = _stream(body)
        except zlib.error:
            continue
        sizes += [float(x) for x in re.findall(rb"/F\d+ ([\d.]+) Tf", stream)]
    return sizes
