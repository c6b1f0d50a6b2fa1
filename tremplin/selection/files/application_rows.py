"""The columns of a file of applications, and the checks of one row: a row with no problem
becomes a candidate, ready to become an application."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.phonenumber import PhoneNumber

from tremplin.core.text import fold, name_key
from tremplin.network.models import Region, Site
from tremplin.outreach.models import Channel
from tremplin.people.models import NAME_MAX_LENGTH, Gender
from tremplin.selection.files.cells import cell_text
from tremplin.selection.files.rows import (
    Column,
    Row,
    cell_date,
    cell_email,
    cell_phone,
    cell_yes_no,
    folded,
)
from tremplin.selection.models import Call

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


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


GENDERS = {
    **dict.fromkeys(("female", "f", "femme", "woman", "w", "feminin"), Gender.FEMALE),
    **dict.fromkeys(("male", "m", "h", "homme", "man", "masculin"), Gender.MALE),
    **dict.fromkeys(("another", "other", "autre", "x"), Gender.ANOTHER),
    **dict.fromkeys(
        ("not_said", "notsaid", "not said", "nsp", "ne se prononce pas", "prefers not to say"),
        Gender.NOT_SAID,
    ),
}


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


@dataclass
class Candidate:
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


def import_key(*, key: str, birth_date: dt.date, phone: str, email: str) -> str:
    identity = f"{key}|{birth_date.isoformat()}|{phone}|{email.lower()}"
    return hashlib.sha256(identity.encode()).hexdigest()


class ApplicationRows:
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

    def candidate(self, row: Row) -> Candidate | None:
        given = row.text("given_names")
        family = row.text("family_name")
        for key, value in (("given_names", given), ("family_name", family)):
            if not value:
                row.problem(key, _("This cell is empty: a name is needed."))
            elif len(value) > NAME_MAX_LENGTH:
                row.problem(
                    key, _("Too long: %(max)d characters at most.") % {"max": NAME_MAX_LENGTH}
                )
        birth = self._birth_date(row)
        gender_text = folded(row.text("gender"))
        gender = GENDERS.get(gender_text, "")
        if not gender:
            row.problem(
                "gender",
                _("Write female, male, another or not_said.")
                if gender_text
                else _("This cell is empty: write female, male, another or not_said."),
            )
        phone = cell_phone(row, "phone", self.country)
        email = cell_email(row, "email")
        if phone is None and not email and not row.text("phone") and not row.text("email"):
            row.problem(
                "phone" if "phone" in self.columns or "email" not in self.columns else "email",
                _("Give a phone number or an e-mail address."),
            )
        region_id = self._region(row)
        priority = cell_yes_no(row, "priority_neighbourhood")
        channel = self._channel(row)
        site = self._site(row)
        language = self._language(row, site)
        attended = cell_yes_no(row, "information_session")
        consent = cell_yes_no(row, "consent")
        if not row.ok or birth is None:
            return None
        candidate = Candidate(
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

    def _birth_date(self, row: Row) -> dt.date | None:
        birth_raw = row.raw("birth_date")
        birth = cell_date(birth_raw)
        if birth is None:
            if cell_text(birth_raw):
                row.problem("birth_date", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
            else:
                row.problem("birth_date", _("This cell is empty: the birth date is needed."))
        elif not EARLIEST_BIRTH_DATE <= birth <= self.today:
            row.problem("birth_date", _("This birth date is not possible."))
        return birth

    def _region(self, row: Row) -> int | None:
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
        return region_id

    def _channel(self, row: Row) -> str:
        channel = ""
        channel_text = row.text("channel")
        if channel_text:
            channel = self.channels.get(folded(channel_text), "")
            if not channel:
                row.problem(
                    "channel",
                    _("Unknown channel. Write one of: %(values)s.")
                    % {"values": ", ".join(Channel.values)},
                )
        return channel

    def _site(self, row: Row) -> Site:
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
        return site

    def _language(self, row: Row, site: Site) -> str:
        """The language the row names, else the site's (else the interface's default)."""
        language = ""
        language_text = row.text("language")
        if language_text:
            language = self.languages.get(folded(language_text), "")
            if not language:
                row.problem(
                    "language",
                    _("Write one of: %(values)s.") % {"values": ", ".join(self.language_codes)},
                )
        if not language:
            default = site.default_language
            language = default if default in self.language_codes else settings.LANGUAGE_CODE
        return language
