"""Bytes of a text file to text: the encodings users' files come in, and a refusal for what is not text.

- A byte-order mark decides (UTF-8, UTF-16 and UTF-32, either byte order), so a Notepad "Unicode"
  file is read as text, not as mojibake.
- Otherwise UTF-8. A file that is UTF-8 but for some damaged bytes (it has valid multi-byte characters
  too) keeps its UTF-8 text, the damaged bytes dropped and counted, instead of being re-read as
  Windows-1252 ("cafÃ©").
- Otherwise Windows-1252 (a superset of Latin-1 for text): old Western European files.
- NUL bytes scattered in text are dropped; a file where control characters are common is binary
  data under a text name, and is refused.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from corpus.problems import Problem, ProblemError

BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
"""Longest first: a UTF-32 little-endian mark starts with the UTF-16 one."""

BINARY_SHARE = 0.02
"""Control characters (other than NUL, tab, line and page breaks) above this share of the text: binary."""
NUL_SHARE = 0.10
"""NUL bytes above this share: binary (or UTF-16 without its mark); below it they are stray, and dropped."""

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


class Decoded(NamedTuple):
    text: str
    encoding: str
    dropped: int  # damaged bytes or NULs left out


class NotText(ProblemError, ValueError):
    """The bytes are not text in any encoding we read: ``problem`` and ``params`` say why."""


def decode_text(raw: bytes) -> Decoded:
    """The text of ``raw`` (see the module's rules); ``NotText`` when it is not text."""
    text, encoding, dropped = _decode(raw)
    nuls = text.count("\x00")
    controls = len(_CONTROL.findall(text))
    if controls > BINARY_SHARE * max(len(text), 1) or nuls > NUL_SHARE * max(len(text), 1):
        raise NotText(Problem.BINARY)
    if nuls:
        text = text.replace("\x00", "")
        dropped += nuls
    return Decoded(text, encoding, dropped)


def _decode(raw: bytes) -> tuple[str, str, int]:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding, 0
            except UnicodeDecodeError as exc:
                raise NotText(Problem.BAD_BOM, encoding=encoding.upper().removesuffix("-SIG")) from exc
    try:
        return raw.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    lenient = raw.decode("utf-8", errors="replace")
    damaged = lenient.count("\ufffd")
    sound = sum(1 for ch in lenient if ord(ch) > 0x7F) - damaged  # non-ASCII characters that decoded
    if sound > 0:  # valid multi-byte UTF-8 next to damaged bytes: UTF-8 (Windows-1252 text almost never has it)
        return lenient.replace("\ufffd", ""), "utf-8", damaged
    try:
        return raw.decode("cp1252"), "cp1252", 0
    except UnicodeDecodeError as exc:
        raise NotText(Problem.BINARY) from exc
