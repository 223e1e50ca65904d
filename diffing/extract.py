"""Turn input bytes (a PDF, or text in any of the usual encodings) into plain text."""

from __future__ import annotations

import io

from diffing.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
"""Largest input accepted: Ofsted reports are under 2 MB; anything this big is not one."""

MAX_PAGES = 1_000
"""Most pages accepted in a PDF: Ofsted reports run to under 100; reading a page costs about
a millisecond even when it is empty, so a small file of blank pages is refused at once."""

MAX_CHARS = 1_000_000
"""Longest text accepted: the longest Ofsted report runs to about 150,000 characters, and the
matcher's cost grows with the square of a report's length, so this bounds a comparison's
time (about a minute) whatever a file holds."""

_PDF_MAGIC = b"%PDF-"


def extract_text(data: bytes, path: str) -> str:
    """The text of a report given as bytes: PDF pages joined by form feeds, or decoded text."""
    if len(data) > MAX_BYTES:
        raise InputError(path, too_large())
    if not data.strip():
        raise InputError(path, "the file is empty")
    text = _pdf_text(data, path) if data.lstrip()[:5] == _PDF_MAGIC else _decode(data, path)
    if len(text) > MAX_CHARS:
        raise InputError(path, too_long())
    return text


def too_large() -> str:
    """The refusal of a file over MAX_BYTES."""
    return f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB (the limit for a report)"


def too_long() -> str:
    """The refusal of a text over MAX_CHARS."""
    return (f"the text is longer than {MAX_CHARS:,} characters (the limit for a report; "
            "Ofsted reports run to about 150,000)")


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _clean_decoded(data.decode("utf-16"), path)
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 100:
        raise InputError(path, "the file is binary, not a text or PDF report")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 decodes curly quotes and dashes that latin-1 maps to control codes;
        # latin-1 takes any byte, for the five bytes cp1252 leaves undefined.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return _clean_decoded(text, path)


def _clean_decoded(text: str, path: str) -> str:
    text = text.replace("\x00", "")
    control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(20, len(text[:20000]) // 50):
        raise InputError(path, "the file is binary, not a text or PDF report")
    return text


def _pdf_text(data: bytes, path: str) -> str:
    # pypdfium2 reads the corpus 17x faster than pypdf with the same text
    # (benchmarks/pdf-libraries.md); imported here so text inputs never pay for it.
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(io.BytesIO(data))
    except pdfium.PdfiumError as error:
        raise InputError(path, f"not a readable PDF ({error})") from None
    pages = []
    length = 0
    try:
        if len(document) > MAX_PAGES:
            raise InputError(path, f"the PDF has {len(document):,} pages (the limit for a report "
                             f"is {MAX_PAGES:,}; Ofsted reports run to under 100)")
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
            length += len(pages[-1]) + 1
            if length > MAX_CHARS:  # stop reading a huge document at the limit
                raise InputError(path, too_long())
    finally:
        document.close()
    text = "\f".join(pages)
    if sum(ch.isalpha() for ch in text) < 200:
        raise InputError(path, "the PDF has no text layer (a scan?): nothing to read")
    return text
