"""JSON files read safely: any byte order mark, and a bound on nesting checked before parsing."""

from __future__ import annotations

import codecs

import pytest

from tremplin.core.json_files import JsonFileError, json_depth, json_looks_like, json_read


def test_nesting_beyond_the_limit_is_refused_naming_it_before_parsing() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    with pytest.raises(JsonFileError) as caught:
        json_read(deep.encode())
    assert caught.value.message == (
        "The file nests lists or objects more than 32 levels deep: it cannot be read."
    )
    assert json_read(b'{"a": [[1]]}', max_depth=3) == {"a": [[1]]}
    with pytest.raises(JsonFileError):
        json_read(b'{"a": [[1]]}', max_depth=2)


def test_brackets_inside_strings_do_not_count() -> None:
    assert json_depth('{"a": "[[[[{{{\\"]]"}') == 1
    assert json_read(('["' + "[" * 40 + '"]').encode()) == ["[" * 40]


@pytest.mark.parametrize(
    "content",
    [
        '{"é": 1}'.encode("utf-16"),
        codecs.BOM_UTF16_BE + '{"é": 1}'.encode("utf-16-be"),
        codecs.BOM_UTF8 + '{"é": 1}'.encode(),
        '{"é": 1}'.encode(),
    ],
    ids=["utf-16", "utf-16-be", "utf-8-bom", "utf-8"],
)
def test_every_encoding_with_a_byte_order_mark_is_read(content: bytes) -> None:
    assert json_looks_like(content)
    assert json_read(content) == {"é": 1}


def test_invalid_json_is_a_json_file_error() -> None:
    for content in (b"{not json", b"\x81\x8d\x90"):
        with pytest.raises(JsonFileError):
            json_read(content)
