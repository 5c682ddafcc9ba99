"""What the knowledge network accepts as a file: the six types by name and by content, at
most 10 MB, each refusal in Dutch with its code."""

import pytest
from django.core.exceptions import ValidationError

from tenants.knowledge.files import MAX_BYTES, file_check, safe_name


@pytest.mark.parametrize(
    ("name", "sample", "content_type"),
    [
        ("plan.pdf", "pdf", "application/pdf"),
        ("foto.png", "png", "image/png"),
        ("foto.JPG", "jpg", "image/jpeg"),
        (
            "statuten.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "begroting.xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("plan.odt", "odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_each_accepted_type_passes(upload, samples, name, sample, content_type):
    checked = file_check(upload(name, getattr(samples, sample)))
    assert checked.content_type == content_type and checked.name == name


@pytest.mark.parametrize(
    ("name", "sample", "code"),
    [
        ("setup.exe", "exe", "file_type"),
        ("plan", "pdf", "file_type"),
        ("plan.pdf", "exe", "file_content"),  # a program renamed to .pdf
        ("foto.png", "pdf", "file_content"),
        ("statuten.docx", "xlsx", "file_content"),  # a zip, but not a Word document
        ("plan.odt", "docx", "file_content"),
        ("leeg.pdf", None, "file_empty"),
    ],
)
def test_a_wrong_type_or_content_is_refused(upload, samples, name, sample, code):
    content = b"" if sample is None else getattr(samples, sample)
    with pytest.raises(ValidationError) as refused:
        file_check(upload(name, content))
    assert refused.value.error_dict["file"][0].code == code


def test_a_file_over_10_mb_is_refused_in_dutch(upload, samples):
    big = upload("groot.pdf", samples.pdf + b"0" * MAX_BYTES)
    with pytest.raises(ValidationError) as refused:
        file_check(big)
    assert refused.value.message_dict["file"] == [
        "Dit bestand is te groot (10,0 MB). Het mag hoogstens 10 MB zijn."
    ]
    assert file_check(upload("precies.pdf", samples.pdf.ljust(MAX_BYTES, b"0"))).size == MAX_BYTES


def test_the_refusal_of_a_type_names_what_is_accepted(upload, samples):
    with pytest.raises(ValidationError) as refused:
        file_check(upload("setup.exe", samples.exe))
    assert refused.value.message_dict["file"] == [
        "Dit soort bestand nemen we niet aan. Kies een PDF, Word (.docx), OpenDocument (.odt), "
        "Excel (.xlsx), PNG of JPG."
    ]


def test_the_uploaded_name_loses_folders_and_header_breaking_characters():
    assert safe_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_name('C:\\Users\\x\\plan "def";\r\n.pdf') == "plan def.pdf"
    assert safe_name("") == "document"
