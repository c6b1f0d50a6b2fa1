"""People: search, duplicates, merge, bad input, audit, and what trainers never see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.people.models import Consent, Person, PersonLanguage, PersonMerge
from tremplin.people.selectors import person_search
from tremplin.people.services import person_merge
from tremplin.people.tests.factories import PersonFactory


def form_data(world: World, **overrides: str) -> dict[str, str]:
    data = {
        "site": str(world.north.pk),
        "legal_given_names": "Éloïse",
        "legal_family_name": "Nguyễn",
        "preferred_name": "",
        "gender": "female",
        "birth_date": "2003-04-02",
        "phone": "06 11 22 33 44",
        "email": "eloise@example.org",
        "address": "",
        "postal_code": "",
        "city": "Lille",
        "region": "",
        "country": "FR",
        "nationality": "VN",
        "consents": ["data_processing"],  # type: ignore[dict-item]
        "languages-TOTAL_FORMS": "2",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "12",
        "languages-0-language": "vi",
        "languages-0-level": "native",
        "languages-1-language": "fr",
        "languages-1-level": "B1",
    }
    data.update(overrides)
    return data


def test_a_manager_creates_a_person_with_languages_and_consent(world: World) -> None:
    client = world.client_for("manager_a1")
    response = client.post(reverse("people:person-create"), form_data(world))
    assert response.status_code == 302
    person = Person.objects.get(email="eloise@example.org")
    assert person.phone.as_e164 == "+33611223344"  # national number read with the site's country
    assert set(person.languages.values_list("language", "level")) == {
        ("vi", "native"),
        ("fr", "B1"),
    }
    assert person.consents.get().purpose == "data_processing"
    event = audit_events_for(person).get()
    assert event.action == AuditAction.PERSON_CREATED
    assert event.actor == world.users["manager_a1"]


def test_search_ignores_accents_case_and_word_order(world: World) -> None:
    PersonFactory(site=world.north, legal_given_names="Éloïse", legal_family_name="Nguyễn")
    manager = world.users["manager_a1"]
    assert person_search(user=manager, query="eloise").count() == 1
    assert person_search(user=manager, query="NGUYEN éloise").count() == 1
    assert person_search(user=manager, query="nguyen zz").count() == 0


def test_search_finds_a_phone_typed_in_any_form(world: World) -> None:
    manager = world.users["manager_a1"]
    for typed in ("06 12 34 56 78", "+33612345678", "0612345678", "12 34 56"):
        results = list(person_search(user=manager, query=typed))
        assert results == [world.amina], typed


def test_search_never_reaches_another_site(world: World) -> None:
    assert person_search(user=world.users["manager_b1"], query="amina").count() == 0
    response = world.client_for("manager_b1").get(reverse("people:person-list"), {"q": "Amina"})
    assert "Diallo" not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12ab", "Enter a valid phone number"),
        ("birth_date", "2999-01-01", "cannot be in the future"),
        ("birth_date", "1850-01-01", "years ago is not possible"),
        ("birth_date", "2003-02-30", "Enter a valid date"),
        ("legal_family_name", "x" * 151, "at most 150 characters"),
        ("languages-0-language", "zz", "is not a known language code"),
        ("legal_given_names", "", "This field is required"),
        ("email", "not-an-address", "Enter a valid email address"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_saved(
    world: World, field: str, value: str, message: str
) -> None:
    before = (Person.objects.count(), PersonLanguage.objects.count(), Consent.objects.count())
    response = world.client_for("manager_a1").post(
        reverse("people:person-create"), form_data(world, **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    after = (Person.objects.count(), PersonLanguage.objects.count(), Consent.objects.count())
    assert after == before


def test_a_language_listed_twice_is_refused(world: World) -> None:
    data = form_data(world, **{"languages-1-language": "vi", "languages-1-level": "A2"})
    response = world.client_for("manager_a1").post(reverse("people:person-create"), data)
    assert "is listed twice" in response.content.decode()
    assert not Person.objects.filter(email="eloise@example.org").exists()


def test_a_likely_duplicate_is_shown_before_anything_is_created(world: World) -> None:
    client = world.client_for("manager_a1")
    data = form_data(
        world,
        legal_given_names="AMINA",
        legal_family_name="diallo",
        birth_date="2001-05-17",
        phone="",
        email="",
    )
    response = client.post(reverse("people:person-create"), data)
    html = response.content.decode()
    assert "may already have a record" in html
    assert reverse("people:person-detail", args=[world.amina.pk]) in html
    assert Person.objects.filter(name_key=world.amina.name_key).count() == 1
    response = client.post(reverse("people:person-create"), {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name_key=world.amina.name_key).count() == 2


def test_the_same_phone_at_a_site_out_of_reach_is_counted_not_shown(world: World) -> None:
    data = form_data(world, phone="+33612345678", email="")
    response = world.client_for("manager_b1").post(
        reverse("people:person-create"), {**data, "site": str(world.beta_site.pk)}
    )
    html = response.content.decode()
    # Amina is at Alpha: Beta's manager is not told she exists.
    assert "Amina" not in html
    assert "may already have a record" not in html


def test_merging_loses_no_data(world: World) -> None:
    twin = PersonFactory(
        site=world.north,
        legal_given_names="AMINA",
        legal_family_name="DIALLO",
        phone="",
        email="amina.d@example.org",
        address="12 rue des Lilas",
        administrative_notes="Asylum file number 123",
    )
    PersonLanguage.objects.create(person=twin, language="ff", level="native")
    PersonLanguage.objects.create(person=world.amina, language="fr", level="B1")
    PersonLanguage.objects.create(person=twin, language="fr", level="A2")
    Consent.objects.create(
        person=twin, purpose="photos", given_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    )
    kept = person_merge(actor=world.users["manager_a1"], kept=world.amina, duplicate=twin)
    kept.refresh_from_db()
    twin.refresh_from_db()
    assert kept.address == "12 rue des Lilas"  # empty field filled
    assert kept.email == "amina@example.org"  # kept value wins
    assert "Asylum file number 123" in kept.administrative_notes
    assert "Permit renewal due in March" in kept.administrative_notes
    assert set(kept.languages.values_list("language", flat=True)) == {"fr", "ff"}
    assert set(kept.consents.values_list("purpose", flat=True)) == {"data_processing", "photos"}
    assert twin.merged_into == kept
    merge = PersonMerge.objects.get(merged=twin)
    assert merge.snapshot["email"] == "amina.d@example.org"  # the replaced value is archived
    assert "Asylum file number 123" in merge.sensitive_snapshot
    assert twin.languages.get().level == "A2"  # the conflicting level stays with the archive
    assert audit_events_for(kept).filter(action=AuditAction.PERSON_MERGED).exists()


def test_a_manager_cannot_merge_records_of_another_organisation(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_merge(actor=world.users["superuser"], kept=world.amina, duplicate=world.chen)


def test_an_edit_shows_in_the_history_on_the_persons_page(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-edit", args=[world.amina.pk])
    data = form_data(world, legal_given_names="Amina", legal_family_name="Diallo")
    data.update({"phone": "+33 6 99 88 77 66", "birth_date": "2001-05-17"})
    data["languages-INITIAL_FORMS"] = "0"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("people:person-detail", args=[world.amina.pk])).content.decode()
    assert "Record changed" in page
    assert "person.updated" not in page  # words, never the code
    assert "+33699887766" in page or "+33 6 99 88 77 66" in page


def test_the_history_names_the_fields_in_words_in_the_readers_language(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-edit", args=[world.amina.pk])
    data = form_data(world, legal_given_names="Amina Awa", legal_family_name="Diallo")
    data["languages-INITIAL_FORMS"] = "0"
    assert client.post(url, data).status_code == 302
    detail = reverse("people:person-detail", args=[world.amina.pk])
    page = client.get(detail).content.decode()
    assert "Given names (legal)" in page
    assert "legal_given_names" not in page  # the label, never the column
    client.cookies["django_language"] = "fr"
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Fiche modifiée" in page
    assert "Prénoms (état civil)" in page


def test_a_sensitive_change_is_audited_and_masked_on_the_page(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-sensitive", args=[world.amina.pk])
    response = client.post(
        url, {"administrative_situation": "asylum_seeker", "administrative_notes": "Hearing 12 May"}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:person-detail", args=[world.amina.pk])).content.decode()
    assert "Sensitive section changed" in page
    assert "Hearing 12 May" not in page


def test_the_trainer_and_the_funder_never_receive_sensitive_data(world: World) -> None:
    """Render every page the trainer and the funder can open: no sensitive value appears."""
    from tests.authorization.matrix import ROWS

    secrets = ["Permit renewal due in March", "Refugee or subsidiary protection", "refugee"]
    for persona in ("trainer_a1", "funder_a"):
        client = world.client_for(persona)
        for row in ROWS:
            if row.method != "GET" or row.expect[persona] != 200:
                continue
            url = reverse(row.url_name, kwargs=row.kwargs(world) or None)
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)  # a file (a question's picture)
                if response.streaming
                else response.content
            )
            html = body.decode(errors="replace")
            for secret in secrets:
                assert secret not in html, f"{persona} sees {secret!r} on {url}"


def test_the_person_list_makes_the_same_number_of_queries_whatever_the_data(
    world: World,
) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    PersonFactory.create_batch(40, site=world.north)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"page": 2})
    assert len(many) == len(few)


def test_the_funder_dashboard_shows_counts_with_small_cells_hidden(world: World) -> None:
    html = world.client_for("funder_a").get(reverse("core:dashboard")).content.decode()
    assert "Alpha Network" in html
    assert "&lt; 5" in html  # Alpha has 2 people: the count is hidden
    assert "Beta Network" not in html
    assert "Diallo" not in html
