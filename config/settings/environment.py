"""Reading configuration from the environment, with clear errors."""

from __future__ import annotations

import ipaddress
import os
import re

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_fernet_keys(name: str, default: str) -> list[str]:
    """Comma-separated Fernet keys, each checked as the settings load: a malformed key stops
    the application at start-up, naming the key by its place in the list (never its value),
    instead of failing at the first sensitive value read or written."""
    keys = env_list(name, default)
    if not keys:
        raise ImproperlyConfigured(
            f"{name} must hold at least one key (make one with: tremplin generate-encryption-key)."
        )
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: key {number} of {len(keys)} is not a Fernet key. Each key is 32 bytes "
                "in url-safe base64 (44 characters ending with '='), keys separated by commas; "
                "make one with: tremplin generate-encryption-key."
            ) from exc
    return keys


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (``10.0.0.5``, ``10.0.0.0/8``, ``fd00::/8``),
    each checked as the settings load."""
    entries = env_list(name, "")
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is neither an IP address nor a network such as 10.0.0.0/8."
            ) from exc
    return entries


_RATE = re.compile(r"\d+/\d*[smhd](/(ip|key))?")


def env_rates(name: str, default: str) -> str:
    """Rate limits as allauth writes them, checked as the settings load: comma-separated
    ``amount/period[/ip|key]``, the period a number and a unit (s, m, h, d), for example
    ``10/m/ip,60/h/ip,3/h/key``."""
    value = env_str(name, default)
    for part in value.split(","):
        if not _RATE.fullmatch(part.strip()):
            raise ImproperlyConfigured(
                f"{name}: {part.strip()!r} is not a rate such as 10/m/ip or 3/h/key."
            )
    return value
