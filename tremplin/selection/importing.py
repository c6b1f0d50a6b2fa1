"""Bulk import of applications and of written-exam scores from a CSV or XLSX file, and the
spreadsheet export of a call's applications.

An import reads the whole file, checks every row and reports every problem with its row
number (the header is row 1), the column as named in the file and a plain reason. It writes
only when no row has a problem, in one transaction (all or nothing), with a fixed number of
reads whatever the size of the file and bulk inserts. Importing the same file again creates
nothing: rows whose person already applied to the call, or whose identity was imported
before (`Application.import_key`), are counted as already imported.
See docs/decisions/0007-bulk-import.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, ExpressionWrapper, F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException, is_valid_number

from tremplin.core.audit import audit_record
from tremplin.core.models import AuditEvent, User
from tremplin.core.text import fold, name_key
from tremplin.network.models import Region, Site
from tremplin.outreach.models import Channel, Registration
from tremplin.people.models import NAME_MAX_LENGTH, Consent, ConsentPurpose, Gender, Person
from tremplin.selection.eligibility import Finding, age_band, age_on, eligibility_findings
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.applications import NOTICE_VERSION
from tremplin.selection.services.stage_results import stages_passed_count

# Inserts go in batches of this many rows (SQLite lowers it to its 999-parameter limit).
BATCH_SIZE = 1000
# A file with more data rows than this is refused before any check.
MAX_ROWS = 50_000
# The upload form refuses files larger than this.
MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX file is a zip: what it holds, unzipped, may not exceed this (a "zip bomb").
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found, and wrote or would write (a dry run writes nothing)."""

    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    already_imported: int = 0
    linked_to_existing: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems


# --- Reading a CSV or XLSX file -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column an import understands: its canonical name, the other names it goes by
    (compared without case, accents, spaces or punctuation), and what it holds."""

    key: str
    aliases: tuple[str, ...]
    required: bool
    description: str | Promise

    def names(self) -> set[str]:
        return {header_key(self.key), *(header_key(a) for a in self.aliases)}


APPLICATION_COLUMNS = (
    Column(
        "given_names",
        ("first_name", "first_names", "given_name", "prenom", "prenoms"),
        True,
        gettext_lazy("Given names, as on the identity document."),
    ),
    Column(
        "family_name",
        ("last_name", "surname", "nom", "nom_de_famille"),
        True,
        gettext_lazy("Family name."),
    ),
    Column(
        "birth_date",
        ("date_of_birth", "dob", "date_naissance", "date_de_naissance", "naissance"),
        True,
        gettext_lazy("YYYY-MM-DD or DD/MM/YYYY, or a date cell of the spreadsheet."),
    ),
    Column(
        "gender",
        ("sex", "genre", "sexe"),
        True,
        gettext_lazy("female, male, another or not_said (also F, M, H, femme, homme)."),
    ),
    Column(
        "phone",
        ("telephone", "tel", "mobile", "portable"),
        False,
        gettext_lazy("A phone number; without a country code, the call's country is assumed."),
    ),
    Column(
        "email",
        ("e_mail", "mail", "courriel", "adresse_email"),
        False,
        gettext_lazy("An e-mail address. Each row needs a phone number or an e-mail address."),
    ),
    Column(
        "region",
        ("province", "departement"),
        False,
        gettext_lazy("Name or code of a region of the call's country."),
    ),
    Column(
        "priority_neighbourhood",
        ("priority_neighborhood", "qpv", "quartier_prioritaire"),
        False,
        gettext_lazy("yes or no (blank means no): lives in a priority neighbourhood."),
    ),
    Column(
        "channel",
        ("canal", "how_did_you_hear_about_us"),
        False,
        gettext_lazy("How they heard about the programme, for example partner or social_media."),
    ),
    Column(
        "site",
        ("centre", "center", "lieu"),
        False,
        gettext_lazy("Short name of one of the call's sites; blank means the site running it."),
    ),
    Column(
        "language",
        ("langue", "lang"),
        False,
        gettext_lazy("fr, en or ar; blank means the site's language."),
    ),
    Column(
        "information_session",
        ("info_session", "reunion_information", "reunion_d_information", "session_information"),
        False,
        gettext_lazy("yes if they attended an information session."),
    ),
    Column(
        "consent",
        ("consentement", "consent_data"),
        False,
        gettext_lazy("yes if they signed the consent to the processing of their data on paper."),
    ),
)

SCORE_COLUMNS = (
    Column(
        "application",
        ("application_id", "id", "candidature", "dossier"),
        False,
        gettext_lazy("The application number shown in Tremplin (or give e-mail or phone)."),
    ),
    Column("email", ("e_mail", "mail", "courriel"), False, gettext_lazy("The e-mail address.")),
    Column("phone", ("telephone", "tel", "mobile"), False, gettext_lazy("The phone number.")),
    Column("score", ("note", "mark", "points", "resultat"), True, gettext_lazy("The score.")),
)

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def header_key(name: str) -> str:
    """'Date de naissance' and 'date_naissance' are the same column."""
    return _NOT_ALNUM.sub("", fold(name).replace("'", ""))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    # A cell escaped by `spreadsheet_safe` on export reads back as it was.
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


class FileUnreadable(Exception):
    """The file is not a CSV or XLSX file the import can read."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells), blank rows left out


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _xlsx_rows(content: bytes) -> Generator[Sequence[Any]]:
    import openpyxl

    damaged = _("This spreadsheet cannot be opened: save it again as .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise FileUnreadable(_("This spreadsheet is too large: split it into smaller files."))
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except FileUnreadable:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds of errors
        raise FileUnreadable(damaged) from exc
    try:
        if workbook.worksheets:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise FileUnreadable(damaged) from exc
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Generator[Sequence[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") on Windows.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(
                _('This file is not text in UTF-8: save it as "CSV UTF-8".')
            ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def sheet_read(file_name: str, content: bytes) -> Sheet:
    """The header and the non-blank rows of the first sheet of an XLSX file, or of a CSV
    file (UTF-8, with or without BOM; `,` `;` or tab between cells)."""
    if content.startswith(b"PK\x03\x04"):
        source = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0") or file_name.lower().endswith(".xls"):
        raise FileUnreadable(_("Old Excel files (.xls) cannot be read: save it as .xlsx or .csv."))
    else:
        source = _csv_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(source, start=1):
            if header is None:
                header = [_cell_text(v) for v in values]
                continue
            if _blank(values):
                continue
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS:
                raise FileUnreadable(
                    _("This file has more than %(max)d rows: split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
    except csv.Error as exc:
        raise FileUnreadable(_("This CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    finally:
        source.close()
    if header is None or not any(header):
        raise FileUnreadable(_("Row 1 must hold the column names, and the file has none."))
    while header and not header[-1]:
        header.pop()
    return Sheet(header=header, rows=rows)


def header_map(
    header: Sequence[str], columns: Sequence[Column]
) -> tuple[dict[str, tuple[int, str]], list[RowProblem]]:
    """Which known column each header cell is: {key: (index, name as in the file)}."""
    known = {name: column for column in columns for name in column.names()}
    found: dict[str, tuple[int, str]] = {}
    problems: list[RowProblem] = []
    for index, name in enumerate(header):
        if not name:
            continue
        column = known.get(header_key(name))
        if column is None:
            problems.append(
                RowProblem(
                    1,
                    name,
                    _("Unknown column. Rename it to one of the columns listed, or remove it."),
                )
            )
        elif column.key in found:
            problems.append(
                RowProblem(
                    1,
                    name,
                    _("This column repeats the column “%(other)s”: keep one of them.")
                    % {"other": found[column.key][1]},
                )
            )
        else:
            found[column.key] = (index, name)
    for column in columns:
        if column.required and column.key not in found:
            problems.append(RowProblem(1, column.key, _("This column is missing.")))
    return found, problems


class _Row:
    """One data row: its cells by column key, and the problems found in it."""

    def __init__(
        self,
        number: int,
        values: list[Any],
        columns: dict[str, tuple[int, str]],
        problems: list[RowProblem],
    ) -> None:
        self.number = number
        self.values = values
        self.columns = columns
        self.problems = problems
        self.ok = True

    def raw(self, key: str) -> Any:
        where = self.columns.get(key)
        if where is None or where[0] >= len(self.values):
            return None
        return self.values[where[0]]

    def text(self, key: str) -> str:
        return _cell_text(self.raw(key))

    def column(self, key: str) -> str:
        where = self.columns.get(key)
        return where[1] if where else key

    def problem(self, key: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, self.column(key), message))
        self.ok = False


YES = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai", "x", "nam"})
NO = frozenset({"no", "n", "non", "0", "false", "faux", "la", ""})
GENDERS = {
    **dict.fromkeys(("female", "f", "femme", "woman", "w", "feminin"), Gender.FEMALE),
    **dict.fromkeys(("male", "m", "h", "homme", "man", "masculin"), Gender.MALE),
    **dict.fromkeys(("another", "other", "autre", "x"), Gender.ANOTHER),
    **dict.fromkeys(
        ("not_said", "notsaid", "not said", "nsp", "ne se prononce pas", "prefers not to say"),
        Gender.NOT_SAID,
    ),
}


def _folded(text: str) -> str:
    """`fold`, with a shortcut for the short plain words most cells hold."""
    return text.lower() if text.isascii() and " " not in text else fold(text)


def _yes_no(row: _Row, key: str) -> bool:
    value = row.raw(key)
    if isinstance(value, bool):
        return value
    text = _folded(row.text(key))
    if text in YES:
        return True
    if text not in NO:
        row.problem(key, _("Write yes or no."))
    return False


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _CheckedPhoneNumber(PhoneNumber):  # type: ignore[misc]
    """A number the import has checked once. The model field and `Person.refresh_derived`
    ask again whether it is valid and format it several times a row: it answers from what it
    knows (on 10,000 rows, that is seconds)."""

    def is_valid(self) -> bool:
        return True

    def __str__(self) -> str:
        text: str | None = self.__dict__.get("_text")
        if text is None:
            text = self.__dict__["_text"] = super().__str__()
        return text


def _phone(row: _Row, key: str, country: str) -> PhoneNumber | None:
    text = row.text(key)
    if not text:
        return None
    try:
        number: PhoneNumber | None = _CheckedPhoneNumber.from_string(text, region=country)
    except NumberParseException:
        number = None
    if number is None or not is_valid_number(number):
        row.problem(
            key,
            _(
                "This is not a phone number of %(country)s. Write another country's number "
                "with its code, for example +33 6 12 34 56 78."
            )
            % {"country": country},
        )
        return None
    return number


def _email(row: _Row, key: str) -> str:
    text = row.text(key).lower()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        row.problem(key, _("This is not an e-mail address."))
        return ""
    return text


def _choices_in_every_language(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Values and their labels, in every language of the interface, folded."""
    found: dict[str, str] = {}
    for value, label in choices:
        found[fold(value)] = value
        found[fold(value.replace("_", " "))] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                found[fold(str(label))] = value
    return found


# --- Applications --------------------------------------------------------------------------


@dataclass
class _Candidate:
    """A valid row, ready to become an application."""

    row: int
    given_names: str
    family_name: str
    birth_date: dt.date
    gender: str
    phone: PhoneNumber | None
    email: str
    region_id: int | None
    priority_neighbourhood: bool
    channel: str
    site: Site
    language: str
    attended: bool
    consent: bool
    phone_text: str = ""  # E.164, worked out once
    name_key: str = ""
    import_key: str = ""


@dataclass
class _Known:
    """A person of the organisation, as read once for matching (no model instance)."""

    pk: int
    email: str
    phone: str
    name_key: str
    birth_date: dt.date | None
    region_id: int | None
    country: str
    priority_neighbourhood: bool
    gender: str
    given_names: str
    family_name: str
    preferred_name: str


def import_key(*, key: str, birth_date: dt.date, phone: str, email: str) -> str:
    identity = f"{key}|{birth_date.isoformat()}|{phone}|{email.lower()}"
    return hashlib.sha256(identity.encode()).hexdigest()


class _ApplicationRows:
    """Turns rows into candidates, with the lookups of one call read once."""

    def __init__(self, call: Call, columns: dict[str, tuple[int, str]]) -> None:
        self.call = call
        self.columns = columns
        self.country = call.site.country.code
        self.today = timezone.localdate()
        sites = [call.site, *(cs.site for cs in call.call_sites.select_related("site"))]
        self.site_ids = {site.pk for site in sites}
        self.sites: dict[str, Site] = {}
        for site in sites:
            self.sites.setdefault(site.slug.lower(), site)
            self.sites.setdefault(fold(site.name), site)
        self.regions: dict[str, int] = {}
        self.region_names: dict[int, str] = {}
        for pk, code, name in Region.objects.filter(country=self.country).values_list(
            "pk", "code", "name"
        ):
            self.region_names[pk] = name
            self.regions[fold(name)] = pk
            if code:
                self.regions[code.lower()] = pk
                self.regions.setdefault(code.lower().split("-", 1)[-1], pk)
        self.channels = _choices_in_every_language(Channel.choices)
        self.languages = _choices_in_every_language(settings.LANGUAGES)
        self.language_codes = {code for code, _name in settings.LANGUAGES}

    def candidate(self, row: _Row) -> _Candidate | None:
        given = row.text("given_names")
        family = row.text("family_name")
        for key, value in (("given_names", given), ("family_name", family)):
            if not value:
                row.problem(key, _("This cell is empty: a name is needed."))
            elif len(value) > NAME_MAX_LENGTH:
                row.problem(
                    key, _("Too long: %(max)d characters at most.") % {"max": NAME_MAX_LENGTH}
                )
        birth_raw = row.raw("birth_date")
        birth = _date(birth_raw)
        if birth is None:
            if _cell_text(birth_raw):
                row.problem("birth_date", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
            else:
                row.problem("birth_date", _("This cell is empty: the birth date is needed."))
        elif not EARLIEST_BIRTH_DATE <= birth <= self.today:
            row.problem("birth_date", _("This birth date is not possible."))
        gender_text = _folded(row.text("gender"))
        gender = GENDERS.get(gender_text, "")
        if not gender:
            row.problem(
                "gender",
                _("Write female, male, another or not_said.")
                if gender_text
                else _("This cell is empty: write female, male, another or not_said."),
            )
        phone = _phone(row, "phone", self.country)
        email = _email(row, "email")
        if phone is None and not email and not row.text("phone") and not row.text("email"):
            row.problem(
                "phone" if "phone" in self.columns or "email" not in self.columns else "email",
                _("Give a phone number or an e-mail address."),
            )
        region_id = None
        region_text = row.text("region")
        if region_text:
            region_id = self.regions.get(fold(region_text)) or self.regions.get(region_text.lower())
            if region_id is None:
                row.problem(
                    "region",
                    _("No region of %(country)s has this name or code.")
                    % {"country": self.country},
                )
        priority = _yes_no(row, "priority_neighbourhood")
        channel = ""
        channel_text = row.text("channel")
        if channel_text:
            channel = self.channels.get(_folded(channel_text), "")
            if not channel:
                row.problem(
                    "channel",
                    _("Unknown channel. Write one of: %(values)s.")
                    % {"values": ", ".join(Channel.values)},
                )
        site = self.call.site
        site_text = row.text("site")
        if site_text:
            chosen = self.sites.get(site_text.lower()) or self.sites.get(fold(site_text))
            if chosen is None:
                row.problem(
                    "site",
                    _("This call has no seats at this site. Write one of: %(values)s.")
                    % {"values": ", ".join(sorted({s.slug for s in self.sites.values()}))},
                )
            else:
                site = chosen
        language = ""
        language_text = row.text("language")
        if language_text:
            language = self.languages.get(_folded(language_text), "")
            if not language:
                row.problem(
                    "language",
                    _("Write one of: %(values)s.") % {"values": ", ".join(self.language_codes)},
                )
        if not language:
            default = site.default_language
            language = default if default in self.language_codes else settings.LANGUAGE_CODE
        attended = _yes_no(row, "information_session")
        consent = _yes_no(row, "consent")
        if not row.ok or birth is None:
            return None
        candidate = _Candidate(
            row=row.number,
            given_names=given,
            family_name=family,
            birth_date=birth,
            gender=gender,
            phone=phone,
            email=email,
            region_id=region_id,
            priority_neighbourhood=priority,
            channel=channel,
            site=site,
            language=language,
            attended=attended,
            consent=consent,
        )
        candidate.phone_text = phone.as_e164 if phone is not None else ""
        candidate.name_key = name_key(given, family)
        candidate.import_key = import_key(
            key=candidate.name_key, birth_date=birth, phone=candidate.phone_text, email=email
        )
        return candidate


def _phone_text(path: str = "phone") -> ExpressionWrapper[F]:
    """The stored phone as text: reading it as a PhoneNumber would parse every number."""
    return ExpressionWrapper(F(path), output_field=CharField())


def _people_known(call: Call) -> list[_Known]:
    rows = (
        Person.objects.filter(
            site__organisation_id=call.site.organisation_id, merged_into__isnull=True
        )
        .order_by("pk")
        .values_list(
            "pk",
            "email",
            _phone_text(),
            "name_key",
            "birth_date",
            "region_id",
            "country",
            "priority_neighbourhood",
            "gender",
            "legal_given_names",
            "legal_family_name",
            "preferred_name",
        )
    )
    return [
        _Known(
            pk=r[0],
            email=(r[1] or "").lower(),
            phone=r[2] or "",
            name_key=r[3],
            birth_date=r[4],
            region_id=r[5],
            country=str(r[6] or ""),
            priority_neighbourhood=r[7],
            gender=r[8],
            given_names=r[9],
            family_name=r[10],
            preferred_name=r[11],
        )
        for r in rows
    ]


@dataclass
class _Match:
    candidate: _Candidate
    known: _Known | None


class _Identities:
    """Who is who: the same person by e-mail, else phone, else name and birth date
    (the order `application_submit` matches in)."""

    def __init__(self) -> None:
        self.by_email: dict[str, Any] = {}
        self.by_phone: dict[str, Any] = {}
        self.by_name: dict[tuple[str, dt.date | None], Any] = {}

    def add(self, email: str, phone: str, key: str, birth: dt.date | None, value: Any) -> None:
        if email:
            self.by_email.setdefault(email, value)
        if phone:
            self.by_phone.setdefault(phone, value)
        if key and birth is not None:
            self.by_name.setdefault((key, birth), value)

    def find(self, candidate: _Candidate) -> tuple[Any, str] | None:
        """(the value found, the column that matched)"""
        if candidate.email and candidate.email in self.by_email:
            return self.by_email[candidate.email], "email"
        if candidate.phone_text and candidate.phone_text in self.by_phone:
            return self.by_phone[candidate.phone_text], "phone"
        found = self.by_name.get((candidate.name_key, candidate.birth_date))
        return (found, "given_names") if found is not None else None


FILLED_FIELDS = ("phone", "email", "birth_date", "region", "country", "priority_neighbourhood")


def _filled(known: _Known, candidate: _Candidate, country: str) -> dict[str, Any]:
    """What the row adds to a known person's blank fields (as `application_submit` does)."""
    values: dict[str, tuple[Any, Any]] = {
        "phone": (known.phone, candidate.phone_text),
        "email": (known.email, candidate.email),
        "birth_date": (known.birth_date, candidate.birth_date),
        "region": (known.region_id, candidate.region_id),
        "country": (known.country, country),
        "priority_neighbourhood": (
            known.priority_neighbourhood,
            candidate.priority_neighbourhood,
        ),
    }
    return {name: new for name, (old, new) in values.items() if new and not old}


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import makes tens of thousands of objects that live until it ends: on Python 3.11
    each burst sets off full collections of the whole heap (a fifth of the time on 10,000
    rows) that find nothing, as rows, instances and values hold no reference cycles. The
    collector is paused for the import and resumed after, unless it was already paused."""
    paused_here = gc.isenabled()
    if paused_here:
        gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


def applications_import(
    *, actor: User | None, call: Call, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Check a file of applications and, when no row has a problem and it is not a dry run,
    write them all in one transaction. `actor` None is the command line."""
    if actor is not None and not can_manage_call(actor, call):
        raise PermissionDenied
    with _cyclic_gc_paused():
        return _applications_import(
            actor=actor, call=call, file_name=file_name, content=content, dry_run=dry_run
        )


def _applications_import(
    *, actor: User | None, call: Call, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        sheet = sheet_read(file_name, content)
    except FileUnreadable as exc:
        report.problems.append(RowProblem(1, "", str(exc)))
        return report
    columns, report.problems = header_map(sheet.header, APPLICATION_COLUMNS)
    report.rows_read = len(sheet.rows)
    if any(c.required and c.key not in columns for c in APPLICATION_COLUMNS):
        return report  # every row would say the same
    reader = _ApplicationRows(call, columns)
    candidates: list[_Candidate] = []
    in_file = _Identities()
    for number, values in sheet.rows:
        row = _Row(number, values, columns, report.problems)
        candidate = reader.candidate(row)
        if candidate is None:
            continue
        earlier = in_file.find(candidate)
        if earlier is not None:
            row.problem(
                earlier[1],
                _("The same person as row %(row)d: keep one of the two rows.")
                % {"row": earlier[0]},
            )
            continue
        in_file.add(
            candidate.email,
            candidate.phone_text,
            candidate.name_key,
            candidate.birth_date,
            candidate.row,
        )
        candidates.append(candidate)
    if dry_run:
        _plan(call, candidates, columns, report)
        return report
    with transaction.atomic():
        # One import at a time per call; what was checked is checked again under the lock.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        matches = _plan(call, candidates, columns, report)
        if report.problems:
            return report
        _write(
            actor=actor,
            call=call,
            file_name=file_name,
            matches=matches,
            report=report,
            region_names=reader.region_names,
            site_ids=reader.site_ids,
        )
    return report


def _plan(
    call: Call,
    candidates: list[_Candidate],
    columns: dict[str, tuple[int, str]],
    report: ImportReport,
) -> list[_Match]:
    """Match every candidate with the people the organisation knows, and count."""
    known = _people_known(call)
    people = _Identities()
    for k in known:
        people.add(k.email, k.phone, k.name_key, k.birth_date, k)
    applied = set(
        call.applications.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    imported = set(call.applications.exclude(import_key="").values_list("import_key", flat=True))
    linked_rows: dict[int, int] = {}
    matches: list[_Match] = []
    for candidate in candidates:
        found = people.find(candidate)
        person: _Known | None = found[0] if found else None
        if candidate.import_key in imported or (person is not None and person.pk in applied):
            report.already_imported += 1
            continue
        if person is not None:
            if person.pk in linked_rows:
                report.problems.append(
                    RowProblem(
                        candidate.row,
                        columns[found[1]][1] if found else "",
                        _(
                            "Row %(row)d and this row are the same person, already known to "
                            "your organisation: keep one of the two rows."
                        )
                        % {"row": linked_rows[person.pk]},
                    )
                )
                continue
            linked_rows[person.pk] = candidate.row
            report.linked_to_existing += 1
        report.created += 1
        matches.append(_Match(candidate=candidate, known=person))
    report.problems.sort(key=lambda p: p.row)
    return matches


def _write(
    *,
    actor: User | None,
    call: Call,
    file_name: str,
    matches: list[_Match],
    report: ImportReport,
    region_names: dict[int, str],
    site_ids: set[int],
) -> None:
    now = timezone.now()
    country = call.site.country.code
    actor_id = actor.pk if actor is not None and actor.pk else None
    note = _("Imported from %(file)s, row %(row)d")
    # People: new ones created, known ones completed where a field of theirs is blank.
    new_people: list[tuple[_Match, Person]] = []
    completed: list[tuple[Person, dict[str, Any]]] = []
    for match in matches:
        c = match.candidate
        if match.known is None:
            person = Person(
                site=c.site,
                legal_given_names=c.given_names,
                legal_family_name=c.family_name,
                gender=c.gender,
                birth_date=c.birth_date,
                phone=c.phone or "",
                email=c.email,
                region_id=c.region_id,
                country=country,
                priority_neighbourhood=c.priority_neighbourhood,
            )
            person.refresh_derived()
            new_people.append((match, person))
            continue
        known = match.known
        filled = _filled(known, c, country)
        if filled:
            person = Person(
                pk=known.pk,
                legal_given_names=known.given_names,
                legal_family_name=known.family_name,
                preferred_name=known.preferred_name,
                phone=known.phone,
                email=known.email,
                birth_date=known.birth_date,
                region_id=known.region_id,
                country=known.country,
                priority_neighbourhood=known.priority_neighbourhood,
                updated_at=now,
            )
            for name, value in filled.items():
                setattr(person, "region_id" if name == "region" else name, value)
            person.refresh_derived()
            completed.append((person, filled))
            # The application's snapshot reads the completed record.
            known.region_id = person.region_id
            known.priority_neighbourhood = person.priority_neighbourhood
            known.birth_date = person.birth_date
    Person.objects.bulk_create([p for _m, p in new_people], batch_size=BATCH_SIZE)
    if completed:
        Person.objects.bulk_update(
            [p for p, _f in completed],
            [*FILLED_FIELDS, "search_text", "name_key", "updated_at"],
            batch_size=BATCH_SIZE,
        )
    person_of: dict[int, tuple[int, str, int | None, bool, dt.date | None]] = {}
    for match, person in new_people:
        person_of[match.candidate.row] = (
            person.pk,
            person.gender,
            person.region_id,
            person.priority_neighbourhood,
            person.birth_date,
        )
    for match in matches:
        if match.known is not None:
            k = match.known
            person_of[match.candidate.row] = (
                k.pk,
                k.gender,
                k.region_id,
                k.priority_neighbourhood,
                k.birth_date,
            )
    # Consent collected on paper, unless the person already has it.
    consented = set(
        Consent.objects.filter(
            person__site__organisation_id=call.site.organisation_id,
            purpose=ConsentPurpose.DATA_PROCESSING,
            withdrawn_at__isnull=True,
        ).values_list("person_id", flat=True)
        if any(m.known and m.candidate.consent for m in matches)
        else []
    )
    consents = [
        Consent(
            person_id=person_of[m.candidate.row][0],
            purpose=ConsentPurpose.DATA_PROCESSING,
            notice_version=NOTICE_VERSION,
            given_at=now,
            recorded_by_id=actor_id,
        )
        for m in matches
        if m.candidate.consent and person_of[m.candidate.row][0] not in consented
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    # Attendance: the file says so, or the person checked in at one of the call's sites.
    checked_in = Registration.objects.filter(
        session__site_id__in=site_ids, checked_in_at__isnull=False
    ).values_list("person_id", "email", _phone_text())
    present_people: set[int] = set()
    present_contacts: set[str] = set()
    for person_id, email, phone in checked_in:
        if person_id:
            present_people.add(person_id)
        if email:
            present_contacts.add(email.lower())
        if phone:
            present_contacts.add(phone)
    stages = list(call.stages.order_by("position").values_list("pk", "position", "kind"))
    positions = [position for _pk, position, _kind in stages]
    session_stage = next(
        ((pk, position) for pk, position, kind in stages if kind == StageKind.INFORMATION_SESSION),
        None,
    )
    applications: list[Application] = []
    eligible_at: dict[int, list[Finding]] = {}  # the rules read the age only
    for match in matches:
        c = match.candidate
        person_id, gender, region_id, priority, birth = person_of[c.row]
        attended = (
            c.attended
            or person_id in present_people
            or (c.email and c.email in present_contacts)
            or (c.phone_text and c.phone_text in present_contacts)
        )
        passed = 0
        if attended and session_stage is not None:
            passed = stages_passed_count(positions, {session_stage[1]: Decision.ADVANCE})
        answers = {
            "given_names": c.given_names,
            "family_name": c.family_name,
            "birth_date": c.birth_date.isoformat(),
            "gender": c.gender,
            "phone": c.phone_text,
            "email": c.email,
            "region_id": c.region_id,
            "priority_neighbourhood": c.priority_neighbourhood,
            "channel": c.channel,
            "sites": [c.site.pk],
            "consent_data": c.consent,
            "information_session": c.attended,
            "imported_from": {"file": file_name, "row": c.row},
        }
        findings = eligible_at.get(age_on(c.birth_date, call.age_reference_date))
        if findings is None:
            findings = eligibility_findings(call, {"birth_date": c.birth_date.isoformat()})
            eligible_at[age_on(c.birth_date, call.age_reference_date)] = findings
        applications.append(
            Application(
                call=call,
                person_id=person_id,
                status=Application.Status.SUBMITTED,
                source=Application.Source.IMPORT,
                site=c.site,
                site_choices=[c.site.pk],
                answers=answers,
                language=c.language,
                eligible=not any(f.blocking for f in findings),
                eligibility_reasons=[f.rule for f in findings if f.blocking],
                stages_passed=passed,
                gender=gender,
                region_id=region_id,
                priority_neighbourhood=priority,
                age_band=age_band(birth, call.age_reference_date),
                channel=c.channel,
                attended_information_session=bool(attended),
                import_key=c.import_key,
                submitted_at=now,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
    if session_stage is not None:
        StageResult.objects.bulk_create(
            [
                StageResult(
                    application=a,
                    stage_id=session_stage[0],
                    decision=Decision.ADVANCE,
                    reason=ReasonCode.PASSED,
                    recorded_by_id=actor_id,
                )
                for a in applications
                if a.attended_information_session
            ],
            batch_size=BATCH_SIZE,
        )
    # History: each person says where it came from (docs/decisions/0004); the call holds the
    # counts, and each application's answers its file and row (`imported_from`).
    events = [
        AuditEvent(
            actor_id=actor_id,
            action="person.created",
            subject_type="people.person",
            subject_id=p.pk,
            note=note % {"file": file_name, "row": m.candidate.row},
        )
        for m, p in new_people
    ]
    events += [
        AuditEvent(
            actor_id=actor_id,
            action="person.updated",
            subject_type="people.person",
            subject_id=p.pk,
            changes={
                name: {
                    "from": "",
                    "to": region_names.get(value, "") if name == "region" else str(value),
                }
                for name, value in filled.items()
            },
            note=_("Completed from %(file)s") % {"file": file_name},
        )
        for p, filled in completed
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    audit_record(
        actor=actor,
        action="applications.imported",
        subject=call,
        changes={
            "file": {"from": None, "to": file_name},
            "rows": {"from": None, "to": report.rows_read},
            "created": {"from": None, "to": report.created},
            "linked_to_existing": {"from": None, "to": report.linked_to_existing},
            "already_imported": {"from": None, "to": report.already_imported},
            "consents": {"from": None, "to": len(consents)},
        },
        note="command line" if actor is None else "",
    )


# --- Written-exam scores ----------------------------------------------------------------------


def _score(row: _Row, maximum: Decimal | None) -> Decimal | None:
    value = row.raw("score")
    text = _cell_text(value).replace(",", ".").replace(" ", "")
    if not text:
        row.problem(
            "score",
            _("This cell is empty: give the score, or remove the row of someone absent."),
        )
        return None
    try:
        score = Decimal(str(value) if isinstance(value, float) else text)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        row.problem("score", _("This is not a number."))
        return None
    score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if score < 0 or (maximum is not None and score > maximum):
        row.problem(
            "score",
            _("The score must be between 0 and %(max)s.") % {"max": maximum}
            if maximum is not None
            else _("The score cannot be negative."),
        )
        return None
    return score


def stage_scores_import(
    *, actor: User | None, stage: Stage, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Scores of a written exam, one row per applicant (found by application number,
    e-mail or phone among the call's submitted applications), recorded as pending results
    for the officer to decide on (or for the pass mark). All or nothing."""
    call = stage.call
    if actor is not None and not can_manage_call(actor, call):
        raise PermissionDenied
    if stage.kind != StageKind.WRITTEN_EXAM:
        raise ValidationError(_("Scores are imported for written exams only."))
    with _cyclic_gc_paused():
        return _stage_scores_import(
            actor=actor, stage=stage, file_name=file_name, content=content, dry_run=dry_run
        )


def _stage_scores_import(
    *, actor: User | None, stage: Stage, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        sheet = sheet_read(file_name, content)
    except FileUnreadable as exc:
        report.problems.append(RowProblem(1, "", str(exc)))
        return report
    columns, report.problems = header_map(sheet.header, SCORE_COLUMNS)
    if not {"application", "email", "phone"} & set(columns):
        report.problems.append(
            RowProblem(
                1,
                "application",
                _("Add a column that says whose score it is: application, email or phone."),
            )
        )
    report.rows_read = len(sheet.rows)
    if report.problems:
        return report
    with transaction.atomic():
        if not dry_run:
            Stage.objects.select_for_update().filter(pk=stage.pk).first()
        changes = _scores_plan(stage, sheet, columns, report)
        if report.problems or dry_run:
            return report
        _scores_write(actor=actor, stage=stage, file_name=file_name, changes=changes, report=report)
    return report


@dataclass
class _ScoreChange:
    row: int
    application_id: int
    score: Decimal
    result_id: int | None
    before: Decimal | None


def _one(row: _Row, key: str, found: list[int]) -> int | None:
    if len(found) > 1:
        row.problem(
            key,
            _("Several applications share this contact: use the application number instead."),
        )
        return None
    if not found:
        row.problem(key, _("No application sent to this call has this contact."))
        return None
    return found[0]


def _scores_plan(
    stage: Stage, sheet: Sheet, columns: dict[str, tuple[int, str]], report: ImportReport
) -> list[_ScoreChange]:
    call = stage.call
    country = call.site.country.code
    submitted = list(
        call.applications.filter(status=Application.Status.SUBMITTED).values_list(
            "pk",
            "person__email",
            ExpressionWrapper(F("person__phone"), output_field=CharField()),
            "stages_passed",
        )
    )
    passed = {pk: stages for pk, _e, _p, stages in submitted}
    by_email: dict[str, list[int]] = {}
    by_phone: dict[str, list[int]] = {}
    for pk, email, phone, _stages in submitted:
        if email:
            by_email.setdefault(email.lower(), []).append(pk)
        if phone:
            by_phone.setdefault(phone, []).append(pk)
    results = {
        application_id: (pk, score, decision)
        for application_id, pk, score, decision in stage.results.values_list(
            "application_id", "pk", "score", "decision"
        )
    }
    seen: dict[int, int] = {}
    changes: list[_ScoreChange] = []
    for number, values in sheet.rows:
        row = _Row(number, values, columns, report.problems)
        application_id: int | None = None
        application_text = row.text("application")
        if application_text:
            if application_text.isdigit() and int(application_text) in passed:
                application_id = int(application_text)
            else:
                row.problem("application", _("No application sent to this call has this number."))
        elif row.text("email"):
            email = _email(row, "email")
            if email:
                application_id = _one(row, "email", by_email.get(email, []))
        elif row.text("phone"):
            phone = _phone(row, "phone", country)
            if phone is not None:
                application_id = _one(row, "phone", by_phone.get(phone.as_e164, []))
        else:
            row.problem(
                "application" if "application" in columns else next(iter(columns)),
                _("Say whose score it is: application number, e-mail or phone."),
            )
        score = _score(row, stage.max_score)
        if application_id is None or score is None:
            continue
        if application_id in seen:
            row.problem(
                "score",
                _("The same applicant as row %(row)d: keep one of the two rows.")
                % {"row": seen[application_id]},
            )
            continue
        seen[application_id] = number
        if stage.position > passed[application_id] + 1:
            row.problem(
                "score",
                _("This applicant has not reached this stage: the earlier stages come first."),
            )
            continue
        existing = results.get(application_id)
        if existing is None:
            report.created += 1
            changes.append(_ScoreChange(number, application_id, score, None, None))
        elif existing[2] != Decision.PENDING:
            row.problem(
                "score",
                _(
                    "A decision is already recorded for this applicant at this stage: "
                    "change it on the application's page."
                ),
            )
        elif existing[1] == score:
            report.already_imported += 1
        else:
            report.updated += 1
            changes.append(_ScoreChange(number, application_id, score, existing[0], existing[1]))
    report.problems.sort(key=lambda p: p.row)
    return changes


def _scores_write(
    *,
    actor: User | None,
    stage: Stage,
    file_name: str,
    changes: list[_ScoreChange],
    report: ImportReport,
) -> None:
    actor_id = actor.pk if actor is not None and actor.pk else None
    now = timezone.now()
    StageResult.objects.bulk_create(
        [
            StageResult(
                application_id=c.application_id,
                stage=stage,
                score=c.score,
                decision=Decision.PENDING,
                reason=ReasonCode.OTHER,
                recorded_by_id=actor_id,
            )
            for c in changes
            if c.result_id is None
        ],
        batch_size=BATCH_SIZE,
    )
    StageResult.objects.bulk_update(
        [
            StageResult(pk=c.result_id, score=c.score, recorded_by_id=actor_id, updated_at=now)
            for c in changes
            if c.result_id is not None
        ],
        ["score", "recorded_by", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                action="stage_result.recorded",
                subject_type="selection.application",
                subject_id=c.application_id,
                changes={
                    "score": {
                        "from": None if c.before is None else str(c.before),
                        "to": str(c.score),
                    }
                },
                note=_("%(stage)s, imported from %(file)s, row %(row)d")
                % {"stage": stage.name, "file": file_name, "row": c.row},
            )
            for c in changes
        ],
        batch_size=BATCH_SIZE,
    )
    audit_record(
        actor=actor,
        action="stage.scores_imported",
        subject=stage,
        changes={
            "file": {"from": None, "to": file_name},
            "rows": {"from": None, "to": report.rows_read},
            "created": {"from": None, "to": report.created},
            "updated": {"from": None, "to": report.updated},
            "already_imported": {"from": None, "to": report.already_imported},
        },
        note="command line" if actor is None else "",
    )


# --- Spreadsheet export ------------------------------------------------------------------------


def spreadsheet_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: a value starting with
    = + - @ (or a tab or carriage return) gets a leading single quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


EXPORT_HEADER = (
    "id",
    "given_names",
    "family_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "region",
    "site",
    "channel",
    "stages_passed",
    "outcome",
    "submitted_at",
)


def applications_export_rows(applications: Iterable[Application]) -> Iterator[list[str]]:
    """The header, then one row per application (person, site and region selected with it),
    every cell made spreadsheet-safe."""
    yield list(EXPORT_HEADER)
    for a in applications:
        person = a.person
        yield [
            spreadsheet_safe(v)
            for v in (
                a.pk,
                person.legal_given_names if person else "",
                person.legal_family_name if person else "",
                a.gender,
                person.birth_date.isoformat() if person and person.birth_date else "",
                person.phone.as_e164 if person and person.phone else "",
                person.email if person else "",
                a.region.name if a.region else "",
                a.site.slug if a.site else "",
                a.channel,
                a.stages_passed,
                a.outcome,
                timezone.localtime(a.submitted_at).isoformat(timespec="seconds")
                if a.submitted_at
                else "",
            )
        ]
