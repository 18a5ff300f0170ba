"""Student-controlled text made harmless for each output, one function per hazard.

Messages, names and flags come from student code and folder names: they can hold terminal escape
sequences (clear the screen, write the clipboard, move the cursor to draw a fake total), lone
surrogates (which no UTF-8 writer accepts), characters XML forbids, GitHub workflow commands,
spreadsheet formulas or Markdown. Every renderer passes such text through one of these first.
None of the patterns can backtrack: each is linear in the length of its input.
"""

from __future__ import annotations

import re
import unicodedata

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST, or to the end), DCS/SOS/PM/APC strings, other
# two-byte escapes, and their 8-bit forms (0x9b CSI, 0x9d OSC, 0x90/0x98/0x9e/0x9f strings).
_ESCAPES = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?"
    "|\x1b\\][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\\\|\x9c)?"
    "|\x1b[ -/]*[0-~]?"
    "|\x9b[0-?]*[ -/]*[@-~]?"
    "|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
)
# Other C0/C1 controls (tab and newline kept), lone surrogates, line/paragraph separators, bidi
# overrides and isolates (text that reads differently from what it is), non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def plain(text: str) -> str:
    """Printable text: escape sequences dropped, other control characters and lone surrogates
    replaced by U+FFFD; newlines (``\\r\\n`` and a lone ``\\r`` become ``\\n``) and tabs kept.
    Valid in XML 1.0, encodable as UTF-8, inert on a terminal."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(REPLACEMENT, _ESCAPES.sub("", text))


def one_line(text: str, limit: int = 200) -> str:
    """``plain`` on one line (line breaks shown as ``⏎``), at most ``limit`` characters."""
    line = plain(text).replace("\n", " ⏎ ").replace("\t", " ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def cell(text: str) -> str:
    """A spreadsheet cell that is never a formula: one line, and a leading ``= + - @`` (or tab,
    CR, the full-width forms some spreadsheets also read) gets a ``'`` in front."""
    raw = str(text)
    line = one_line(raw, 1000)
    if raw[:1] in ("\t", "\r") or unicodedata.normalize("NFKC", line[:1]) in ("=", "+", "-", "@"):
        return "'" + line
    return line


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&@$])")


def markdown_inline(text: str, limit: int = 200) -> str:
    """Text inside a Markdown line (a heading, a list item): one line, every character that could
    start a link, emphasis, a heading, HTML or a table cell backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text, limit))


# After leading whitespace, ``::`` starts a workflow command (the runner's TryParseV2 trims
# whitespace first); the legacy ``##[command]`` form is matched anywhere in a line. The runner
# compares culture-sensitively, which ignores zero-width characters: those are removed first.
_IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u206f"
                        "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")


def workflow_safe(text: str) -> str:
    """``plain`` text no GitHub Actions runner reads as a workflow command, whoever prints it (the
    Classroom reporter logs runner-result messages line by line): a line that would start with
    ``::`` gets ``> `` in front, and ``##[`` becomes ``## [``."""
    lines = []
    for line in _IGNORABLE.sub("", plain(text)).replace("##[", "## [").split("\n"):
        lines.append("> " + line if line.lstrip().startswith("::") else line)
    return "\n".join(lines)


def no_surrogates(text: str) -> str:
    """Only the lone surrogates replaced (for JSON data, whose other escapes are harmless)."""
    return re.sub("[\ud800-\udfff]", REPLACEMENT, text) if isinstance(text, str) else text
