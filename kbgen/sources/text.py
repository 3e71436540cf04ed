"""Reading a data file's bytes into text: size limit, encoding detection, binary check."""
from __future__ import annotations

import os
import re

from ..diagnostics import DataError, Diagnostic, Location, Severity

MAX_FILE_BYTES = 32 * 1024 * 1024  # a whole sheet export or topic file

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fail(path: str, code: str, message: str, hint: str, line: int | None = None) -> DataError:
    return DataError(Diagnostic(Severity.ERROR, code, Location(file=path, line=line), message, hint))


def read_text(path: str, encodings: tuple[str, ...] = ("utf-8", "cp949"), limit: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 with or without BOM and CP949 are detected; anything
    else, a binary file or a file over the limit raises DataError with a message to show."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise _fail(path, "file-missing", f"cannot open the file: {exc.strerror}",
                    "check the path in kbgen.yml") from None
    if size > limit:
        raise _fail(path, "file-too-large", f"file is {size:,} bytes, over the limit of {limit:,}",
                    "split the sheet or remove unused rows and columns")
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _fail(path, "encoding-utf16", "file is UTF-16 (Excel 'Unicode text')",
                    "export again as 'CSV UTF-8' (Excel) or 'CSV' (Google Sheets)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _fail(path, "binary-file", "file holds NUL bytes: it is binary, not text",
                    "export the sheet as CSV, not as .xlsx or .numbers", data.count(b"\n", 0, nul) + 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data, encodings = data[3:], ("utf-8",)
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        bad = _CONTROL.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise _fail(path, "binary-file",
                        f"control character U+{ord(bad.group()):04X} in the text: the file looks binary or corrupted",
                        "export the sheet again as CSV", line)
        return text, encoding
    assert first_error is not None
    line = data.count(b"\n", 0, first_error.start) + 1
    byte = data[first_error.start]
    raise _fail(path, "encoding-unknown",
                f"byte 0x{byte:02X} is neither UTF-8 nor CP949 text",
                "save the file as UTF-8 ('CSV UTF-8' in Excel)", line)


_DELIMITERS = (",", "\t", ";")  # ties go to the first


def delimiter(text: str, mark: str = "", lines: int = 5) -> str:
    """A CSV's cell separator: the one its header line holds most of. Besides `,`: tab,
    for a sheet saved as .tsv or pasted into a file, and `;`, what Excel writes where the
    decimal mark is a comma. The header line is the first of the top `lines` that holds
    `mark` (a column name; spaces ignored), as a title may sit above it; else the first."""
    top, start = [], 0
    while len(top) < lines and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        top.append(text[start:end])
        start = end + 1
    line = next((x for x in top if mark in x.replace(" ", "")), top[0])
    best = max(_DELIMITERS, key=line.count)
    return best if line.count(best) else ","
