"""What an uploaded file really is, from its content: accepted kinds, refused abuses, the words inside."""

from __future__ import annotations

import io
import zipfile

import pytest

from kb.documents import html_to_pdf
from kb.uploads import UploadRefused, extract_text, inspect, shown_name

MB = 1024 * 1024


def office(parts: dict[str, bytes | str], mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(text: str) -> bytes:
    return office({"[Content_Types].xml": "<Types/>",
                   "word/document.xml": f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>"
                                        "</w:document>"})


def odt(text: str) -> bytes:
    return office({"content.xml": f"<office:document-content><text:p>{text}</text:p></office:document-content>"},
                  mimetype="application/vnd.oasis.opendocument.text")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return html_to_pdf("<html lang='fr'><body><p>Grille des freins institutionnels</p></body></html>")


def test_accepted_kinds_are_told_by_their_content(pdf):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 64
    assert inspect("grille.pdf", pdf, MB).kind == "pdf"
    assert inspect("guide.docx", docx("Diagnostic"), MB).kind == "docx"
    assert inspect("guide.odt", odt("Diagnostic"), MB).kind == "odt"
    assert inspect("photo.PNG", png, MB).mimetype == "image/png"
    assert inspect("photo.jpeg", jpeg, MB).kind == "jpeg"
    assert inspect("notes.txt", "Évaluation partagée\n".encode(), MB).kind == "txt"
    assert inspect("notes.txt", "Évaluation partagée\n".encode("cp1252"), MB).kind == "txt"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("gros.pdf", b"%PDF-1.7\n" + b"0" * (MB + 1), "taille maximale (1 Mo)"),
    ("vide.pdf", b"", "vide"),
    ("script.pdf", b"#!/bin/sh\nrm -rf ~\n", "ne correspond pas à son extension « .pdf »"),
    ("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "non acceptée"),
    ("dessin.txt", b"<?xml version='1.0'?><svg><script>alert(1)</script></svg>", "contient du code"),
    ("page.txt", b"<!DOCTYPE html><html><body>x</body></html>", "contient du code"),
    ("programme.exe", b"MZ\x90\x00", "non acceptée"),
    ("sans-extension", b"du texte", "non acceptée"),
    ("binaire.txt", b"\x00\x01\x02\x03" * 10, "non reconnu"),
    ("archive.docx", office({"a.txt": "x"}), "pas un document bureautique"),
    ("casse.docx", b"PK\x03\x04 pas vraiment une archive", "endommagée"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "(image PNG) ne correspond pas"),
])
def test_refused_files_say_why_in_french(name, data, message):
    with pytest.raises(UploadRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        inspect(name, data, MB)


def test_a_zip_bomb_disguised_as_docx_is_refused_without_inflating_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * MB))
    bomb = out.getvalue()
    assert len(bomb) < MB
    with pytest.raises(UploadRefused, match="bombe de décompression"):
        inspect("rapport.docx", bomb, 20 * MB)


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\léa\\grille.pdf", "grille.pdf"),
    ("grille\x00\n.pdf", "grille.pdf"),
    ("..", "fichier.pdf"),
    ("a" * 300 + ".pdf", "a" * 140 + ".pdf"),
])
def test_a_file_name_is_only_a_name_never_a_path(raw, shown):
    assert shown_name(raw, "pdf") == shown


def test_words_are_extracted_from_pdf_and_office_files(pdf):
    assert "freins institutionnels" in extract_text("pdf", pdf)
    assert extract_text("docx", docx("Diagnostic partagé &amp; restitution")) == "Diagnostic partagé & restitution"
    assert extract_text("odt", odt("Développement social local")) == "Développement social local"
    assert extract_text("txt", "Évaluation\x07 partagée".encode()) == "Évaluation partagée"
    assert extract_text("pdf", b"%PDF-1.4 broken") == ""
    assert extract_text("png", b"\x89PNG") == ""


@pytest.mark.parametrize(("name", "data"), [
    ("macro.docx", office({"[Content_Types].xml": '<Types><Override ContentType="application/vnd.ms-word.document.'
                                                 'macroEnabled.main+xml"/></Types>',
                           "word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\0" * 10})),
    ("lien.docx", office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>",
                          "word/_rels/document.xml.rels": '<Relationships><Relationship Type="oleObject" '
                                                          'Target="mhtml:http://exemple.invalid/x" '
                                                          'TargetMode="External"/></Relationships>'})),
    ("guide.odt", office({"content.xml": "<office:document-content/>", "payload.exe": b"MZ\x90"},
                         mimetype="application/vnd.oasis.opendocument.text")),
    ("guide.odt", office({"content.xml": "<office:document-content/>", "Basic/Standard/Module1.xml": "<x/>"},
                         mimetype="application/vnd.oasis.opendocument.text")),
    ("vide.odt", office({"index.html": "<script>alert(1)</script>"},
                        mimetype="application/vnd.oasis.opendocument.text")),
])
def test_office_files_with_macros_programs_or_external_links_are_refused(name, data):
    with pytest.raises(UploadRefused):
        inspect(name, data, MB)


def test_long_runs_of_markup_characters_are_read_in_one_pass():
    slides = {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>",
              "ppt/slides/slide1.xml": "<p:sld><a:t>Restitution publique</a:t>" + "<" * 300_000 + "</p:sld>"}
    assert extract_text("pptx", office(slides)).startswith("Restitution publique")


def test_a_name_that_is_only_an_extension_keeps_it():
    assert shown_name(".pdf", "pdf") == "fichier.pdf"
    assert shown_name("  grille.pdf. ", "pdf") == "grille.pdf"
