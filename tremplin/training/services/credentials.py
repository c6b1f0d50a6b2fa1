"""The programme's certificate as a signed Open Badges 3.0 credential (an
OpenBadgeCredential, W3C Verifiable Credentials 2.0), secured as VC-JOSE: a compact JWS
signed with the organisation's Ed25519 key (decision 0032). Also the issuer's public
documents (profile, keys, revocation list) and the check a visitor runs on a credential.

Addresses in a credential are absolute: ``base_url`` is the site's scheme and host, from the
request (``request.build_absolute_uri("/")``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tremplin.network.models import Organisation
from tremplin.training import jose
from tremplin.training.models import Certificate, IssuerKey

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _absolute(base_url: str, name: str, **kwargs: Any) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs=kwargs)


def issuer_id(organisation: Organisation, *, base_url: str) -> str:
    return _absolute(base_url, "training:issuer-profile", slug=organisation.slug)


def status_list_url(organisation: Organisation, *, base_url: str) -> str:
    return _absolute(base_url, "training:issuer-status-list", slug=organisation.slug)


def issuer_key(organisation: Organisation) -> IssuerKey:
    """The organisation's signing key, made the first time it signs."""
    key = IssuerKey.objects.filter(organisation=organisation, retired_at=None).first()
    if key is not None:
        return key
    private, public = jose.key_pair_new()
    try:
        with transaction.atomic():
            return IssuerKey.objects.create(
                organisation=organisation,
                kid=jose.thumbprint(public),
                public_key=public,
                private_key=private,
            )
    except IntegrityError:  # made at the same moment by another request
        return IssuerKey.objects.get(organisation=organisation, retired_at=None)


def issuer_profile(organisation: Organisation, *, base_url: str) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": issuer_id(organisation, base_url=base_url),
        "type": ["Profile"],
        "name": organisation.name,
    }
    if organisation.website:
        profile["url"] = organisation.website
    return profile


def issuer_keys(organisation: Organisation, *, base_url: str) -> dict[str, Any]:
    """The JWKS: every key the organisation signed with, retired ones too."""
    keys = IssuerKey.objects.filter(organisation=organisation).order_by("created_at")
    return {
        "keys": [
            {
                **jose.public_jwk(key.public_key),
                "kid": _kid(key, base_url),
                "alg": "EdDSA",
                "use": "sig",
            }
            for key in keys
        ]
    }


def _kid(key: IssuerKey, base_url: str) -> str:
    jwks = _absolute(base_url, "training:issuer-keys", slug=key.organisation.slug)
    return f"{jwks}#{key.kid}"


def _date_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def credential_payload(certificate: Certificate, *, base_url: str) -> dict[str, Any]:
    """The OpenBadgeCredential, unsigned."""
    organisation = certificate.organisation
    verify_url = _absolute(base_url, "training:certificate-verify", public_id=certificate.public_id)
    status_url = status_list_url(organisation, base_url=base_url)
    programme = certificate.enrolment.cohort.run.programme
    return {
        "@context": CONTEXTS,
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.programme_title,
        "issuer": issuer_profile(organisation, base_url=base_url),
        "validFrom": _date_time(certificate.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"{issuer_id(organisation, base_url=base_url)}#programme-{programme.slug}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.programme_title,
                "description": programme.summary or certificate.programme_title,
                "criteria": {"narrative": "Completed the programme and graduated."},
            },
        },
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_url,
        },
    }


def credential_signed(certificate: Certificate, *, base_url: str) -> str:
    key = issuer_key(certificate.organisation)
    return jose.sign(
        credential_payload(certificate, base_url=base_url),
        private_key=key.private_key,
        kid=_kid(key, base_url),
    )


def status_list_signed(organisation: Organisation, *, base_url: str) -> str:
    """The organisation's revocation list as a signed BitstringStatusListCredential."""
    revoked = set(
        Certificate.objects.filter(organisation=organisation, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    url = status_list_url(organisation, base_url=base_url)
    payload = {
        "@context": CONTEXTS[:1],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(organisation, base_url=base_url),
        "validFrom": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": jose.status_list_encode(revoked),
        },
    }
    key = issuer_key(organisation)
    return jose.sign(payload, private_key=key.private_key, kid=_kid(key, base_url))


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
    TAMPERED = "tampered"  # the signature does not match the content
    UNKNOWN_ISSUER = "unknown_issuer"  # not signed by a key of an issuer of this platform
    WRONG_ISSUER = "wrong_issuer"  # the issuer named is not the key's owner
    UNREADABLE = "unreadable"  # not a signed credential


@dataclass(frozen=True)
class CredentialCheck:
    verdict: Verdict
    certificate: Certificate | None = None
    holder_name: str = ""
    programme: str = ""
    issuer_name: str = ""
    valid_from: str = ""


def _key_of(header: dict[str, Any]) -> IssuerKey | None:
    kid = header.get("kid")
    if not isinstance(kid, str) or len(kid) > 500:
        return None
    thumb = kid.rsplit("#", 1)[-1]
    return IssuerKey.objects.select_related("organisation").filter(kid=thumb).first()


def _status_index(payload: dict[str, Any]) -> int | None:
    status = payload.get("credentialStatus")
    if not isinstance(status, dict) or status.get("statusPurpose") != "revocation":
        return None
    index = status.get("statusListIndex")
    if not isinstance(index, str) or not index.isdigit() or len(index) > 9:
        return None
    return int(index)


def credential_check(token: str, *, base_url: str) -> CredentialCheck:
    """Check a credential pasted or uploaded by anyone: its signature against the
    issuer's published key, that the issuer it names owns that key, and its revocation."""
    try:
        parsed = jose.parse(token)
    except jose.JoseError:
        return CredentialCheck(Verdict.UNREADABLE)
    payload = parsed.payload
    if "OpenBadgeCredential" not in (payload.get("type") or []):
        return CredentialCheck(Verdict.UNREADABLE)
    key = _key_of(parsed.header)
    if key is None:
        return CredentialCheck(Verdict.UNKNOWN_ISSUER)
    if not jose.signature_valid(parsed, public_key=key.public_key):
        return CredentialCheck(Verdict.TAMPERED)
    organisation = key.organisation
    issuer = payload.get("issuer")
    named = issuer.get("id") if isinstance(issuer, dict) else issuer
    if named != issuer_id(organisation, base_url=base_url):
        return CredentialCheck(Verdict.WRONG_ISSUER)
    index = _status_index(payload)
    certificate = (
        Certificate.objects.filter(organisation=organisation, status_index=index).first()
        if index is not None
        else None
    )
    if certificate is None:
        return CredentialCheck(Verdict.UNKNOWN_ISSUER)
    found = CredentialCheck(
        Verdict.VALID,
        certificate=certificate,
        holder_name=certificate.holder_name,
        programme=certificate.programme_title,
        issuer_name=organisation.name,
    )
    if certificate.revoked:
        return CredentialCheck(Verdict.REVOKED, **_rest(found))
    if certificate.issued_on > timezone.localdate():
        return CredentialCheck(Verdict.NOT_YET_VALID, **_rest(found))
    return found


def _rest(check: CredentialCheck) -> dict[str, Any]:
    return {
        "certificate": check.certificate,
        "holder_name": check.holder_name,
        "programme": check.programme,
        "issuer_name": check.issuer_name,
    }
