"""Nomination documents are opened by staff: a PDF that carries active content is refused with a clear
message, whatever way it is written, and so is one too deeply nested to be checked."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from registration.documents import validate_pdf
from tests.registration.support import pdf_bytes, pdf_upload

ACTIVE = (
    "The PDF file holds active content (scripts, actions that open other files, attached files or forms that "
    "send data), which staff must not be asked to open. Please send a plain PDF, for example by printing the "
    "document to PDF again."
)


def written(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_open_action(action):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    return written(writer)


def script():
    return with_open_action(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def launch():
    return with_open_action({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})


def attachment():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("payload.exe", b"MZ")
    return written(writer)


def submitting_form():
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    button = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
            NameObject("/A"): DictionaryObject(
                {NameObject("/S"): NameObject("/SubmitForm"), NameObject("/F"): TextStringObject("https://x.invalid")}
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(button)])
    return written(writer)


def escaped_script_name():
    """The same script, its key written "/J#53": PDF readers decode it to /JS."""
    return script().replace(b"/JS ", b"/J#53 ")


def refusal(content):
    with pytest.raises(ValidationError) as refused:
        validate_pdf(pdf_upload(content=content))
    return refused.value.messages


@pytest.mark.parametrize(
    "content", [script, launch, attachment, submitting_form, escaped_script_name], ids=lambda f: f.__name__
)
def test_pdf_with_active_content_refused(content):
    assert refusal(content()) == [ACTIVE]


def nested(depth):
    """A PDF whose catalogue holds `depth` dictionaries, one inside the other (the cross-reference table,
    its offsets shifted by the nesting, is rebuilt by readers as for any damaged file)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/X")] = TextStringObject("NESTING")
    return written(writer).replace(b"(NESTING)", b"<< /A " * depth + b"1" + b" >>" * depth)


@pytest.mark.parametrize("depth", [100, 20_000])
def test_pdf_nested_too_deep_refused(depth):
    assert refusal(nested(depth)) == ["The PDF file is too complex to be checked; please send a simpler one."]


def test_pdf_nested_as_deep_as_documents_are_accepted():
    assert validate_pdf(pdf_upload(content=nested(10))) is None


def test_plain_pdf_accepted():
    assert validate_pdf(pdf_upload(content=pdf_bytes(pages=3))) is None
