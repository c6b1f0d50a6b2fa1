"""Every import reads a file the same way, and every export writes cells that cannot run."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from tremplin.core import spreadsheets
from tremplin.core.spreadsheets import (
    SpreadsheetFileError,
    cell_safe,
    cell_unsafe,
    csv_delimiter,
    csv_read,
    csv_rows,
    sheet_read,
    text_decode,
    xlsx_rows,
)

TEXT = "prénom;nom\nÉloïse;Bœuf €\n"


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with the BOM of this machine's byte order
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM: the NUL beside the first letter tells
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),  # Excel's plain "CSV" on Windows
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "utf-16-le",
        "utf-16-be",
        "cp1252",
    ],
)
def test_every_encoding_a_spreadsheet_saves_reads_the_same(content: bytes) -> None:
    assert text_decode(content) == TEXT
    sheet = csv_read(content)
    assert sheet.header == ["prénom", "nom"]
    assert sheet.rows == [(2, ["Éloïse", "Bœuf €"])]
    assert sheet.delimiter == ";"


def test_a_text_given_as_a_string_only_loses_its_bom() -> None:
    assert text_decode("\ufeffid: 1\n") == "id: 1\n"
    assert list(csv_rows("\ufeffid,score\na,1\n")) == [["id", "score"], ["a", "1"]]


def test_bytes_that_are_not_text_are_refused_with_what_to_do() -> None:
    with pytest.raises(SpreadsheetFileError) as caught:
        text_decode(b"id,score\n\x81\x8d\x8f\x90\x9d\n")  # not UTF-8, nor Windows-1252
    assert caught.value.message == 'This file is not text in UTF-8: save it as "CSV UTF-8".'
    with pytest.raises(SpreadsheetFileError):
        text_decode(codecs.BOM_UTF16_LE + b"a\x00b")  # UTF-16 cut in the middle of a letter


def test_the_message_is_in_the_readers_language() -> None:
    with translation.override("fr"), pytest.raises(SpreadsheetFileError) as caught:
        csv_read(b"\x81\x8d")
    assert caught.value.message != 'This file is not text in UTF-8: save it as "CSV UTF-8".'


# --- Delimiters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("id,score,site", ","),
        ("id;score;site", ";"),
        ("id\tscore\tsite", "\t"),
        ("id|score|site", "|"),
        ("nom;prénom, nom d'usage;date", ";"),  # the most frequent wins
        ("id", ","),  # none at all: a comma
        ("a,b;c", ","),  # a tie: the first of , ; tab |
        ("a;b\tc", ";"),
        ("a\tb|c", "\t"),
        ('"Nom, prénom";"Date, lieu";site', ";"),  # delimiters inside quotes do not count
        ('"say ""a,b,c""";x', ";"),  # nor inside doubled quotes
    ],
)
def test_the_delimiter_is_the_most_frequent_on_the_header_line(header: str, delimiter: str) -> None:
    assert csv_delimiter(f"{header}\r\nx,y,z;1;2;3;4\n") == delimiter


def test_only_the_header_line_counts() -> None:
    assert csv_delimiter("a;b\n1,2,3,4,5\n") == ";"
    assert csv_delimiter('"a\nb,c,d";e\n') == ";"  # a line break inside a quoted header cell


def test_a_quoted_delimiter_stays_in_its_cell() -> None:
    sheet = csv_read(b'nom;adresse\nAmina;"12, rue; des Lilas"\n')
    assert sheet.rows == [(2, ["Amina", "12, rue; des Lilas"])]


def test_a_given_delimiter_wins_over_the_rule() -> None:
    assert list(csv_rows("a;b\n", delimiter=",")) == [["a;b"]]


# --- Sheets ------------------------------------------------------------------------------------


def test_blank_rows_are_left_out_and_rows_keep_their_spreadsheet_number() -> None:
    sheet = csv_read("id,score\r\n\r\na,1\r\n , \r\nb,2\r\n")
    assert sheet.header == ["id", "score"]
    assert sheet.rows == [(3, ["a", "1"]), (5, ["b", "2"])]


def test_an_empty_file_has_no_header() -> None:
    assert csv_read(b"") == spreadsheets.Sheet(header=None, rows=[], delimiter=",")
    assert csv_read(b"\n\n").header == []  # a blank row 1 is still row 1
    assert sheet_read("empty.csv", codecs.BOM_UTF8).header is None


def test_too_many_rows_are_refused_before_reading_on() -> None:
    content = ("id\n" + "x\n" * 5).encode()
    assert len(csv_read(content, max_rows=5).rows) == 5
    with pytest.raises(SpreadsheetFileError) as caught:
        csv_read(content, max_rows=4)
    assert caught.value.message == ("This file has more than 4 rows: split it into smaller files.")


def test_a_malformed_csv_says_why() -> None:
    limit = csv.field_size_limit()
    with pytest.raises(SpreadsheetFileError) as caught:
        csv_read(("a\n" + "x" * (limit + 1) + "\n").encode())
    assert caught.value.message.startswith("This CSV file cannot be read: ")


def test_an_xlsx_file_reads_with_its_values_typed() -> None:
    content = xlsx_bytes(
        [["id", "born", "score"], [1, dt.date(2001, 5, 17), 12.5], [None, None, None], ["b"]]
    )
    sheet = sheet_read("whatever.csv", content)  # known by its content, not its name
    assert sheet.header == ["id", "born", "score"]
    assert sheet.delimiter == ""
    (number, first), (second_number, second) = sheet.rows
    assert (number, first[0], first[2]) == (2, 1, 12.5)
    assert first[1].date() == dt.date(2001, 5, 17)
    assert (second_number, second[0]) == (4, "b")


def test_an_xlsx_file_too_large_unzipped_is_refused() -> None:
    content = xlsx_bytes([["id"], ["x" * 5000]])
    assert sheet_read("a.xlsx", content).rows
    with pytest.raises(SpreadsheetFileError) as caught:
        sheet_read("a.xlsx", content, max_unzipped_bytes=1000)
    assert caught.value.message == "This spreadsheet is too large: split it into smaller files."


def test_an_xlsx_file_with_too_many_rows_is_refused() -> None:
    with pytest.raises(SpreadsheetFileError):
        sheet_read("a.xlsx", xlsx_bytes([["id"], ["a"], ["b"], ["c"]]), max_rows=2)


def test_a_damaged_xlsx_file_says_to_save_it_again() -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    for content in (broken.getvalue(), b"PK\x03\x04 and nothing else"):
        with pytest.raises(SpreadsheetFileError) as caught:
            list(xlsx_rows(content))
        assert caught.value.message == "This spreadsheet cannot be opened: save it again as .xlsx."


def test_an_old_excel_file_is_refused_with_what_to_do() -> None:
    for name, content in (("a.xls", b"id,score\n"), ("a.csv", b"\xd0\xcf\x11\xe0rest")):
        with pytest.raises(SpreadsheetFileError) as caught:
            sheet_read(name, content)
        assert caught.value.message == (
            "Old Excel files (.xls) cannot be read: save it as .xlsx or .csv."
        )


def test_a_csv_file_named_xlsx_is_still_read_as_csv() -> None:
    assert sheet_read("a.xlsx", b"id;score\na;1\n").rows == [(2, ["a", "1"])]


# --- Cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33612345678", "'+33612345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=1+1", "''=1+1"),  # a quote typed before a formula is kept, and one more added
        ("''@x", "'''@x"),
        ("'quoted", "'quoted"),  # a quote before anything else needs nothing
        ("Amina", "Amina"),
        ("a=b", "a=b"),
        ("", ""),
        (12, "12"),
        (-3, "'-3"),
        (None, ""),
    ],
)
def test_spreadsheet_safe_escapes_formulas(value: Any, safe: str) -> None:
    assert cell_safe(value) == safe


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "'=1+1",
        "''=1+1",
        "+33 6 12",
        "-",
        "@",
        "\t",
        "\r\n",
        "'",
        "''",
        "'quoted",
        "it's",
        "Amina",
        "",
        "a=b",
    ],
)
def test_a_safe_cell_reads_back_unchanged(text: str) -> None:
    assert cell_unsafe(cell_safe(text)) == text


def test_an_export_imports_back_unchanged_through_a_csv_file() -> None:
    cells = ["=cmd|'/c calc'!A1", "'=SUM(A1)", "@Evil", "+33611223344", "Bœuf €", "-"]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["a", "b", "c", "d", "e", "f"], cells])
    written = list(csv_rows(out.getvalue()))[1]
    assert written == cells  # the CSV layer alone changes nothing
    out = io.StringIO()
    csv.writer(out).writerows([["a", "b", "c", "d", "e", "f"], [cell_safe(c) for c in cells]])
    sheet = csv_read(("\ufeff" + out.getvalue()).encode())
    assert [cell_unsafe(c) for c in sheet.rows[0][1]] == cells
    assert all(not c.startswith(spreadsheets.FORMULA_PREFIXES) for c in sheet.rows[0][1])


def test_an_xlsx_sheet_wider_than_the_limit_is_refused_before_it_is_read() -> None:
    """2 rows of 500,000 cells (115 KB zipped) took 21 s and 756 MB to read."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["x"] * 5_000)
    sheet.append(["y"] * 5_000)
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SpreadsheetFileError) as caught:
        sheet_read("wide.xlsx", out.getvalue())
    assert caught.value.message == (
        "This spreadsheet is too large: at most 1,000 columns and 2,000,000 cells (rows × "
        "columns) can be read. Delete the empty columns and rows, or split it into smaller files."
    )


def test_an_xlsx_sheet_with_a_far_cell_is_refused_by_its_rows_times_columns() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "id"
    sheet.cell(row=1_000_000, column=3, value="far")  # 3 million cells once read
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SpreadsheetFileError, match="2,000,000 cells"):
        list(xlsx_rows(out.getvalue()))
    content = xlsx_bytes([["a", "b", "c"], [1, 2, 3]])
    assert len(list(xlsx_rows(content, max_columns=3, max_cells=6))) == 2
    with pytest.raises(SpreadsheetFileError, match="at most 2 columns"):
        list(xlsx_rows(content, max_columns=2))
    with pytest.raises(SpreadsheetFileError, match="and 5 cells"):
        list(xlsx_rows(content, max_cells=5))
