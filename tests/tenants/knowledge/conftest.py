"""Fixtures of the knowledge network's tests: uploaded files land in a folder of each test's
own (so a test can check that a refusal left no file behind), and sample files of every
accepted type, plus a program dressed up as a PDF."""

import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SAMPLES = SimpleNamespace(
    pdf=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    png=b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    jpg=b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    docx=_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
    xlsx=_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
    odt=_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
    exe=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored(media_root):
    """The files in the storage now."""

    def files() -> list:
        return sorted(p for p in media_root.rglob("*") if p.is_file())

    return files


@pytest.fixture
def samples():
    return SAMPLES


@pytest.fixture
def upload():
    """An uploaded file: upload("plan.pdf") is a real PDF; pass content for anything else."""

    def make(name: str = "statuten.pdf", content: bytes | None = None) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, SAMPLES.pdf if content is None else content)

    return make
