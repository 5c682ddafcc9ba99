"""What the knowledge network accepts as a file: PDF, Word (docx), OpenDocument text (odt),
Excel (xlsx), PNG and JPEG, at most 10 MB. The name's extension must match what the content
is (its first bytes, and for the office formats the parts inside the zip), so a program
renamed to .pdf is refused; each refusal says in Dutch what is accepted."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _

from shared.validation import field_error

MAX_BYTES = 10 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_OFFICE = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
}
_ODT = "application/vnd.oasis.opendocument.text"
TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "odt": _ODT,
    **{ext: content_type for ext, (content_type, _part) in _OFFICE.items()},
}


@dataclass(frozen=True)
class Checked:
    extension: str
    content_type: str
    name: str
    size: int


def _head(upload: IO[bytes], n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _zip_names(upload: IO[bytes]) -> tuple[list[str], bytes]:
    """The names inside a zip and its ``mimetype`` entry (OpenDocument), or ([], b'')."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return [], b""
    finally:
        upload.seek(0)
    return names, mimetype


def _content_matches(extension: str, upload: IO[bytes]) -> bool:
    head = _head(upload)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if not head.startswith(_ZIP):
        return False
    names, mimetype = _zip_names(upload)
    if extension == "odt":
        return mimetype.strip() == _ODT.encode()
    part = _OFFICE[extension][1]
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)


def safe_name(name: str) -> str:
    """The uploaded name without folders or characters a download header cannot carry."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"\r\n;')
    return cleaned.strip()[:200] or "document"


def file_check(upload: Any, *, field: str = "file") -> Checked:
    """The upload's type and size, or a Dutch refusal on ``field``."""
    name = safe_name(getattr(upload, "name", "") or "")
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in TYPES:
        raise field_error(
            field,
            _(
                "Dit soort bestand nemen we niet aan. Kies een PDF, Word (.docx), "
                "OpenDocument (.odt), Excel (.xlsx), PNG of JPG."
            ),
            "file_type",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise field_error(
            field,
            _("Dit bestand is te groot (%(mb)s MB). Het mag hoogstens 10 MB zijn.")
            % {"mb": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
            "file_size",
        )
    if size == 0:
        raise field_error(field, _("Dit bestand is leeg."), "file_empty")
    if not _content_matches(extension, upload):
        raise field_error(
            field,
            _(
                "De inhoud van dit bestand past niet bij de naam: het is geen echt "
                ".%(extension)s-bestand."
            )
            % {"extension": extension},
            "file_content",
        )
    return Checked(extension, TYPES[extension], name, size)
