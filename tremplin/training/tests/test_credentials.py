"""The certificate as a signed Open Badges 3.0 credential (VC-JOSE, EdDSA): its shape, the
issuer's published key and revocation list, and the check — a changed credential fails, a
revoked one says so."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from conftest import World
from tremplin.training import jose
from tremplin.training.models import Certificate, Enrolment, IssuerKey
from tremplin.training.services import certificates as certificate_services
from tremplin.training.services import credentials
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory

BASE = "http://testserver/"


@pytest.fixture
def certificate(world: World) -> Certificate:
    cohort = CohortFactory(run=world.run_north)
    enrolment = EnrolmentFactory(
        cohort=cohort,
        person=world.amina,
        status=Enrolment.Status.GRADUATED,
        left_on=cohort.ends_on,
    )
    (certificate,) = certificate_services.certificate_issue(
        actor=world.users["manager_a1"],
        cohort=cohort,
        enrolments=[enrolment],
        issued_on=dt.date(2026, 10, 20),
    )
    return certificate


def download(world: World, certificate: Certificate) -> str:
    url = reverse("training:certificate-credential", kwargs={"certificate_id": certificate.pk})
    response = world.client_for("manager_a1").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def test_credential_is_an_open_badge_signed_with_eddsa(
    world: World, certificate: Certificate
) -> None:
    token = download(world, certificate)
    parsed = jose.parse(token)
    assert parsed.header["alg"] == "EdDSA"
    assert parsed.header["typ"] == "vc+jwt"
    payload = parsed.payload
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["type"] == ["Profile"]
    assert payload["issuer"]["name"] == "Alpha Network"
    assert payload["validFrom"] == "2026-10-20T00:00:00Z"
    subject = payload["credentialSubject"]
    assert subject["achievement"]["name"] == "Digital basics"
    assert subject["identifier"][0]["identityHash"] == "Amina Diallo"
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == str(certificate.status_index)
    # Nothing private travels with it.
    assert "+33612345678" not in json.dumps(payload)
    assert "refugee" not in json.dumps(payload)
    # The signature checks against the key the issuer publishes.
    keys = world.client_for("anonymous").get(parsed.header["kid"].split("#")[0]).json()
    (jwk,) = keys["keys"]
    assert jwk["kid"] == parsed.header["kid"]
    assert jose.signature_valid(parsed, public_key=jwk["x"])


def test_private_key_is_encrypted_at_rest(world: World, certificate: Certificate) -> None:
    key = IssuerKey.objects.get(organisation=world.alpha)
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM training_issuerkey WHERE id = %s", [key.pk])
        (stored,) = cursor.fetchone()
    assert key.private_key not in stored
    assert len(jose.b64url_decode(key.private_key)) == 32


def test_credential_verifies_then_says_revoked(world: World, certificate: Certificate) -> None:
    token = download(world, certificate)
    check = credentials.credential_check(token, base_url=BASE)
    assert check.verdict == credentials.Verdict.VALID
    assert check.holder_name == "Amina Diallo"
    certificate_services.certificate_revoke(
        actor=world.users["manager_a1"], certificate=certificate, reason="Issued by mistake"
    )
    assert credentials.credential_check(token, base_url=BASE).verdict == credentials.Verdict.REVOKED
    # The published revocation list says so too.
    url = reverse("training:issuer-status-list", kwargs={"slug": "alpha"})
    status_list = jose.parse(world.client_for("anonymous").get(url).content.decode())
    encoded = status_list.payload["credentialSubject"]["encodedList"]
    assert jose.status_list_bit(encoded, certificate.status_index)
    assert not jose.status_list_bit(encoded, certificate.status_index + 1)


def _tampered(token: str, change) -> str:  # type: ignore[no-untyped-def]
    header, payload, signature = token.split(".")
    data = json.loads(jose.b64url_decode(payload))
    change(data)
    body = jose.b64url_encode(json.dumps(data).encode())
    return f"{header}.{body}.{signature}"


def test_a_changed_credential_fails(world: World, certificate: Certificate) -> None:
    token = download(world, certificate)

    def rename(data: dict) -> None:  # type: ignore[type-arg]
        data["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"

    def backdate(data: dict) -> None:  # type: ignore[type-arg]
        data["validFrom"] = "2020-01-01T00:00:00Z"

    for change in (rename, backdate):
        check = credentials.credential_check(_tampered(token, change), base_url=BASE)
        assert check.verdict == credentials.Verdict.TAMPERED
    # A flipped bit of the signature fails as well.
    head, body, signature = token.split(".")
    raw = bytearray(jose.b64url_decode(signature))
    raw[0] ^= 1
    forged = f"{head}.{body}.{jose.b64url_encode(bytes(raw))}"
    assert (
        credentials.credential_check(forged, base_url=BASE).verdict == credentials.Verdict.TAMPERED
    )


def test_a_credential_signed_by_another_key_is_not_trusted(
    world: World, certificate: Certificate
) -> None:
    token = download(world, certificate)
    payload = jose.parse(token).payload
    private, public = jose.key_pair_new()
    forged = jose.sign(
        payload, private_key=private, kid=f"http://evil/jwks#{jose.thumbprint(public)}"
    )
    assert (
        credentials.credential_check(forged, base_url=BASE).verdict
        == credentials.Verdict.UNKNOWN_ISSUER
    )
    # Beta's own key cannot sign as Alpha.
    beta_key = credentials.issuer_key(world.beta)
    as_alpha = jose.sign(payload, private_key=beta_key.private_key, kid=beta_key.kid)
    assert (
        credentials.credential_check(as_alpha, base_url=BASE).verdict
        == credentials.Verdict.WRONG_ISSUER
    )


@pytest.mark.parametrize(
    "text", ["", "hello", "a.b.c", "e30.e30.", "W10.e30.AA", "é.é.é", "x" * 70000, "..."]
)
def test_garbage_is_unreadable(db: None, text: str) -> None:
    assert (
        credentials.credential_check(text, base_url=BASE).verdict == credentials.Verdict.UNREADABLE
    )


def test_verify_page_by_paste_and_by_upload(world: World, certificate: Certificate) -> None:
    token = download(world, certificate)
    client = world.client_for("anonymous")
    url = reverse("training:credential-verify")
    assert client.get(url).status_code == 200
    page = client.post(url, {"credential": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This credential is genuine and valid." in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.jwt", token.encode(), content_type="application/vc+jwt")
    page = client.post(url, {"upload": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This credential is genuine and valid." in page.content.decode()
    page = client.post(url, {"credential": _tampered(token, lambda d: d.update(name="X"))})
    assert "This credential is not genuine." in page.content.decode()
    page = client.post(url, {"credential": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Paste the credential or choose its file." in page.content.decode()
    binary = SimpleUploadedFile("c.jwt", b"\xff\xfe\x00", content_type="application/octet-stream")
    page = client.post(url, {"upload": binary}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "This file is not a credential." in page.content.decode()


def test_issuer_documents_are_public_and_unknown_issuers_404(
    world: World, certificate: Certificate
) -> None:
    client = world.client_for("anonymous")
    profile = client.get(reverse("training:issuer-profile", kwargs={"slug": "alpha"})).json()
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Alpha Network"
    assert "private_key" not in json.dumps(
        client.get(reverse("training:issuer-keys", kwargs={"slug": "alpha"})).json()
    )
    # Beta issued nothing: it publishes nothing.
    assert client.get(reverse("training:issuer-keys", kwargs={"slug": "beta"})).status_code == 404


def test_status_list_encoding_round_trips() -> None:
    encoded = jose.status_list_encode({0, 7, 8, 131071})
    assert [jose.status_list_bit(encoded, i) for i in (0, 1, 7, 8, 9, 131071)] == [
        True,
        False,
        True,
        True,
        False,
        True,
    ]
    with pytest.raises(ValueError):
        jose.status_list_encode({131072})


def test_public_pages_are_light_pages(world: World, certificate: Certificate) -> None:
    from tremplin.core.management.commands.build_light_assets import SHARED_TEMPLATES
    from tremplin.core.registry import registry

    client = world.client_for("anonymous")
    verify = reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    for language in ("fr", "ar", "km", "vi"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in (verify, reverse("training:credential-verify")):
            response = client.get(url)
            html = response.content.decode()
            assert "core/light/bootstrap" in html, url
            assert "bootstrap.bundle" not in html, url
            assert "htmx.min.js" not in html, url
            name = response.resolver_match.view_name
            used = {
                t.name for t in response.templates if t.name and not t.name.startswith("django/")
            }
            assert used <= set(registry.light_pages[name].templates) | set(SHARED_TEMPLATES)


@pytest.mark.parametrize("language", ["fr", "ar", "km"])
def test_public_pages_fit_a_2g_budget(
    world: World, certificate: Certificate, language: str
) -> None:
    from tests.test_page_weight import FIRST_VISIT, _assets, _gz

    client = world.client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    verify = reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    for url in (verify, reverse("training:credential-verify")):
        html = client.get(url).content.decode()
        first_visit = _gz(html.encode()) + sum(_assets(html).values())
        assert first_visit < FIRST_VISIT, f"{url}: {first_visit} bytes"
