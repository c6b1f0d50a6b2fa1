"""Files that management commands read and write, with the documented exit codes.

Every command answers a problem with its input in one line on standard error and exit code 2
(``USAGE_EXIT_CODE``), never a traceback: a file that is missing or is a folder, an output
path whose folder does not exist, a file that cannot be read or written. The output path is
checked before any work is done, so that a long computation is not lost to a typing mistake.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

# A file or an argument has a problem (named in the message); nothing was written.
USAGE_EXIT_CODE = 2


def input_read(name: str) -> bytes:
    """The bytes of the file at ``name``; a ``CommandError`` (exit 2) naming it otherwise."""
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"No file at {path}.", returncode=USAGE_EXIT_CODE)
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            f"{path} cannot be read: {error.strerror}.", returncode=USAGE_EXIT_CODE
        ) from error


def output_check(name: str) -> Path:
    """The path a command will write to, once it is known that it can: its folder exists and
    the path itself is not a folder. A ``CommandError`` (exit 2) naming it otherwise."""
    path = Path(name)
    if path.is_dir():
        raise CommandError(
            f"{path} is a folder: give the name of the file to write, such as {path / 'out.csv'}.",
            returncode=USAGE_EXIT_CODE,
        )
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(
            f"The folder {folder} does not exist: create it, or write elsewhere.",
            returncode=USAGE_EXIT_CODE,
        )
    return path


def output_write(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``; a ``CommandError`` (exit 2) when it cannot be."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(
            f"{path} cannot be written: {error.strerror}.", returncode=USAGE_EXIT_CODE
        ) from error
