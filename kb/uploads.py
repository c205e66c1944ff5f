"""Uploaded files: what they really are (from their content, never their name), and the text inside them.

`inspect` accepts PDF, OpenDocument (ODT, ODS, ODP), Office Open XML (DOCX, XLSX, PPTX), PNG, JPEG and
plain text, checks that the extension agrees with the content, refuses archives that would inflate
beyond reason (zip bombs), SVG/HTML and anything else, each time with a French reason. `extract_text`
returns the words of PDF, office and text files for the search index, within fixed bounds.
"""

from __future__ import annotations

import html
import io
import re
import time
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

KINDS = {
    "pdf": ("application/pdf", (".pdf",), "PDF"),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",), "texte OpenDocument"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",), "tableur OpenDocument"),
    "odp": ("application/vnd.oasis.opendocument.presentation", (".odp",), "présentation OpenDocument"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "document Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "classeur Excel"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",),
             "présentation PowerPoint"),
    "png": ("image/png", (".png",), "image PNG"),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg"), "image JPEG"),
    "txt": ("text/plain; charset=utf-8", (".txt", ".md", ".csv"), "texte"),
}
ACCEPTED = "PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG ou texte"
_ODF = {"application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods",
        "application/vnd.oasis.opendocument.presentation": "odp"}
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
# Bounds of what an archive may hold once inflated: office files of a few hundred pages stay far below.
MAX_ENTRIES = 5_000
MAX_INFLATED = 200 * 1024 * 1024
MAX_RATIO = 150
MAX_TEXT = 400_000
MAX_PDF_CONTENT = 3 * 1024 * 1024
MAX_PDF_SECONDS = 4.0
_MARKUP = re.compile(rb"<\s*(svg|script|html|!doctype html|iframe|object)\b", re.IGNORECASE)


class UploadRefused(ValueError):
    """A file that is not accepted; the message is French and says why."""


@dataclass(frozen=True)
class Checked:
    """An accepted file: its kind, MIME type and the name shown to users."""

    kind: str
    mimetype: str
    filename: str


def shown_name(raw: str, kind: str) -> str:
    """The name a user gave, reduced to a plain file name to display (never used as a path)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" ").rstrip(".")
    if name.startswith(".") and name.strip("."):  # ".pdf": an extension with no name
        name = "fichier" + "." + name.lstrip(".")
    name = name.strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:140] + dot + ext[:9]) if dot else name[:150]
    return name or f"fichier{KINDS[kind][1][0]}"


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused("Ce fichier est une archive endommagée : il ne peut pas être lu.") from exc
    inflated = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or inflated > MAX_INFLATED or any(
            e.file_size > MAX_RATIO * max(e.compress_size, 1) and e.file_size > 1_000_000 for e in entries):
        raise UploadRefused("Ce fichier se décompresse en un volume anormal (bombe de décompression) : il est refusé.")
    names = {e.filename for e in entries}
    if "mimetype" in names and "content.xml" in names:
        declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        if declared in _ODF:
            _check_parts(archive, names, _ODF_PARTS)
            return _ODF[declared]
    if "[Content_Types].xml" in names:
        for part, kind in _OOXML.items():
            if part in names:
                _check_parts(archive, names, _OOXML_PARTS)
                return kind
    raise UploadRefused(f"Cette archive n'est pas un document bureautique accepté ({ACCEPTED}).")


_ODF_PARTS = re.compile(r"(mimetype|content\.xml|styles\.xml|meta\.xml|settings\.xml|manifest\.rdf|layout-cache"
                        r"|META-INF/[^/]+|Thumbnails/[^/]+|Pictures/[^/]+|Configurations2/.*|Object \d+/[^/]+)")
_OOXML_PARTS = re.compile(r"(\[Content_Types\]\.xml|_rels/[^/]+|docProps/[^/]+|customXml/.*|(word|xl|ppt)/.*)")
_ACTIVE = re.compile(r"(vbaProject|vbaData|activeX|embeddings/oleObject|/oleObject|macrosheets|\.(exe|dll|js|html?"
                     r"|vbs|ps1|bat|cmd|sh|jar)$)", re.IGNORECASE)


def _check_parts(archive: zipfile.ZipFile, names: set[str], allowed: re.Pattern) -> None:
    """Only the parts a plain document has: no macros, embedded programs, external links or stray files."""
    refused = "Ce document contient des macros, des objets actifs ou des liens externes : il n'est pas accepté."
    for name in names:
        if name.endswith("/"):
            continue
        if not allowed.fullmatch(name) or _ACTIVE.search(name):
            raise UploadRefused(refused)
    for name in names:
        if name == "[Content_Types].xml" or name.endswith(".rels") or name == "META-INF/manifest.xml":
            with archive.open(name) as handle:
                head = handle.read(1024 * 1024)
            if b"macroEnabled" in head or b'TargetMode="External"' in head or b"vnd.sun.star.script" in head \
                    or b"application/vnd.sun.xml.basic" in head:
                raise UploadRefused(refused)


def detect(data: bytes) -> str:
    """The kind of file the bytes are, or UploadRefused."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if _MARKUP.search(data):
        raise UploadRefused("Ce fichier contient du code (SVG, HTML ou script) : il n'est pas accepté.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UploadRefused(f"Type de fichier non reconnu : seuls les fichiers {ACCEPTED} sont acceptés.") from exc
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text[:65536]):
        raise UploadRefused(f"Type de fichier non reconnu : seuls les fichiers {ACCEPTED} sont acceptés.")
    return "txt"


def inspect(filename: str, data: bytes, max_bytes: int) -> Checked:
    """Accept a file whose content is of an accepted kind that its extension names, within the size limit."""
    if not data:
        raise UploadRefused("Le fichier est vide.")
    if len(data) > max_bytes:
        raise UploadRefused(f"Le fichier dépasse la taille maximale ({max_bytes // (1024 * 1024)} Mo).")
    extension = "." + (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if extension not in {e for _m, exts, _l in KINDS.values() for e in exts}:
        raise UploadRefused(f"Extension « {extension or 'aucune'} » non acceptée : seuls les fichiers {ACCEPTED} "
                            "sont acceptés.")
    kind = detect(data)
    mimetype, extensions, label = KINDS[kind]
    if extension not in extensions:
        claimed = next(k for k, (_m, exts, _l) in KINDS.items() if extension in exts)
        raise UploadRefused(f"Le contenu de ce fichier ({label}) ne correspond pas à son extension « {extension} » "
                            f"({KINDS[claimed][2]}) : il est refusé.")
    return Checked(kind=kind, mimetype=mimetype, filename=shown_name(filename, kind))


def as_utf8(data: bytes) -> bytes:
    """A text file in UTF-8 (one written in Windows-1252 is converted, so that it is served as it reads)."""
    try:
        return data.decode("utf-8-sig").encode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace").encode("utf-8")


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    text = re.sub(r"</(text:p|text:h|w:p|a:p|table:table-row)>", "\n", text)
    text = re.sub(r"<[^<>]*>", " ", text)  # linear: a run of "<" cannot make it backtrack
    return html.unescape(text)


def _office_text(data: bytes, kind: str) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if kind in ("odt", "ods", "odp"):
        parts = ["content.xml"]
    elif kind == "docx":
        parts = ["word/document.xml"]
    elif kind == "xlsx":
        parts = ["xl/sharedStrings.xml"]
    else:
        parts = sorted((n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.sub(r"\D", "", n) or 0))
    chunks, budget = [], 20 * 1024 * 1024
    for part in parts:
        if part not in archive.namelist():
            continue
        with archive.open(part) as handle:
            raw = handle.read(budget)
        budget -= len(raw)
        chunks.append(_xml_text(raw))
        if budget <= 0:
            break
    return "\n".join(chunks)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # malformed PDFs make pypdf warn; their text is still worth having
        reader = PdfReader(io.BytesIO(data))
        chunks, size, content = [], 0, 0
        for page in reader.pages[:300]:
            # Drawing instructions cost pypdf time even when they hold no text: a budget of decoded content and
            # of seconds keeps a crafted PDF from holding the request (what is read so far is kept).
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > MAX_PDF_CONTENT or time.monotonic() - started > MAX_PDF_SECONDS:
                break
            chunk = page.extract_text() or ""
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_TEXT:
                break
    return "\n".join(chunks)


def extract_text(kind: str, data: bytes) -> str:
    """The words inside a file (for search); empty for images or when a file cannot be read."""
    try:
        if kind == "pdf":
            text = _pdf_text(data)
        elif kind in ("odt", "ods", "odp", "docx", "xlsx", "pptx"):
            text = _office_text(data, kind)
        elif kind == "txt":
            text = as_utf8(data).decode("utf-8")
        else:
            return ""
    except Exception:  # noqa: BLE001 - a file we cannot read is still stored; it is just not searchable
        return ""
    text = text[:2 * MAX_TEXT]
    text = "".join(c if unicodedata.category(c)[0] != "C" or c in "\n\t" else " " for c in text)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()[:MAX_TEXT]
