"""Plain-text tables for the terminal: columns padded to their widest cell.

Every cell goes through ``printable`` first: names and messages come from submissions (zip
entries, file names, notebook text), and a control character in one of them must never reach
the terminal (an escape sequence can rewrite table lines or the window title).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# bidirectional overrides and isolates reorder what follows them on the screen
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200e", "\u200f", "\u061c"}


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text) -> str:
    """``text`` with control characters, bidirectional overrides and undecodable bytes shown
    as escapes (``\\x1b``, ``\\u202e``, ``\\xff``), everything else as it is."""
    text = str(text)
    if text.isprintable() and text.isascii():
        return text
    return "".join(
        _escape(c) if c in _BIDI or unicodedata.category(c) in ("Cc", "Cs") else c for c in text)


def plain_name(name: str) -> bool:
    """A name every file system, zip and terminal carries as it is: UTF-8 (no undecodable
    bytes) and no control characters."""
    return name.isprintable() and not any(0xDC80 <= ord(c) <= 0xDCFF for c in name)


def render(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart; the last column is not padded, so a long
    message there does not widen the table."""
    table = [[printable(cell) for cell in header], *([printable(cell) for cell in row] for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
        for row in table
    )


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(value):
    """A cell a spreadsheet reads as text, never as a formula: text starting with ``= + - @``,
    a tab or a carriage return gets a leading apostrophe (numbers are left as they are)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
