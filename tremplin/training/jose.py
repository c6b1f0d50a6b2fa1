"""Signing and checking credentials as JWS compact serialisations with EdDSA (Ed25519), and
the W3C Bitstring Status List that says which credentials are revoked (decision 0032).

Pure computation on bytes and dicts: no model, no database. services/credentials.py builds
the Open Badges credential and keeps the keys."""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"
MEDIA_TYPE = "vc+jwt"
# A status list holds 131,072 entries (16 KB uncompressed): the W3C minimum, so that one
# credential's bit cannot be singled out from the list's size.
STATUS_LIST_SIZE = 131072
# Longest credential read: a real one is about 2 KB.
MAX_TOKEN_LENGTH = 64_000


class JoseError(ValueError):
    """The text is not a compact JWS this module can read."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not text.isascii() or "=" in text:
        raise JoseError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("not base64url") from exc


def key_pair_new() -> tuple[str, str]:
    """(private, public): the 32 raw bytes of each, base64url."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return b64url_encode(raw_private), b64url_encode(raw_public)


def public_jwk(public_key: str) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": public_key}


def thumbprint(public_key: str) -> str:
    """The key's JWK thumbprint (RFC 7638): its members in order, without spaces, SHA-256."""
    canonical = json.dumps(public_jwk(public_key), sort_keys=True, separators=(",", ":"))
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def _json_part(value: dict[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return b64url_encode(text.encode("utf-8"))


def sign(payload: dict[str, Any], *, private_key: str, kid: str) -> str:
    """The compact JWS of ``payload``. Ed25519 signatures are deterministic: the same
    payload and key give the same text every time."""
    header = {"alg": ALGORITHM, "kid": kid, "typ": MEDIA_TYPE, "cty": "vc"}
    signing_input = f"{_json_part(header)}.{_json_part(payload)}"
    key = Ed25519PrivateKey.from_private_bytes(b64url_decode(private_key))
    return f"{signing_input}.{b64url_encode(key.sign(signing_input.encode('ascii')))}"


@dataclass(frozen=True)
class Parsed:
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _json_object(part: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JoseError("not JSON") from exc
    if not isinstance(value, dict):
        raise JoseError("not a JSON object")
    return value


def parse(token: str) -> Parsed:
    """Split and decode a compact JWS; JoseError when it is not one."""
    token = "".join(token.split())  # a pasted token may be cut over several lines
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise JoseError("empty or too long")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("not three parts")
    header, payload = _json_object(parts[0]), _json_object(parts[1])
    signature = b64url_decode(parts[2])
    return Parsed(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def signature_valid(parsed: Parsed, *, public_key: str) -> bool:
    if parsed.header.get("alg") != ALGORITHM:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(public_key))
        key.verify(parsed.signature, parsed.signing_input)
    except (InvalidSignature, ValueError):
        return False
    return True


def status_list_encode(revoked: set[int]) -> str:
    """The list's ``encodedList``: multibase base64url ("u") of the GZIP of the bits, the
    first entry being the highest bit of the first byte."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked:
        if not 0 <= index < STATUS_LIST_SIZE:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url_encode(gzip.compress(bytes(bits), mtime=0))


def status_list_bit(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise JoseError("not multibase base64url")
    try:
        bits = gzip.decompress(b64url_decode(encoded[1:]))
    except (OSError, EOFError) as exc:
        raise JoseError("not gzip") from exc
    if not 0 <= index < len(bits) * 8:
        raise JoseError("index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
