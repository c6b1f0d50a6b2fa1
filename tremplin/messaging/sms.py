"""SMS backends, chosen by the TREMPLIN_SMS_BACKEND setting (like Django's e-mail backends).

- ``console``: writes the SMS to the standard output (development);
- ``memory``: keeps them in ``outbox`` (the test settings);
- ``http``: a JSON POST ``{"to", "text", "sender"}`` to TREMPLIN_SMS_URL with the bearer
  token TREMPLIN_SMS_TOKEN; an answer other than 2xx, a timeout or a refused connection is
  a failure;
- or the dotted path of a class with a ``send(*, to, text)`` method.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The SMS did not leave; the message says why, in a line staff can read."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    sender: str


outbox: list[Sms] = []


class ConsoleBackend:
    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to} from {settings.TREMPLIN_SMS_SENDER}:\n{text}\n\n")
        sys.stdout.flush()


class MemoryBackend:
    def send(self, *, to: str, text: str) -> None:
        outbox.append(Sms(to=to, text=text, sender=settings.TREMPLIN_SMS_SENDER))


class HttpBackend:
    def send(self, *, to: str, text: str) -> None:
        url = settings.TREMPLIN_SMS_URL
        if not url:
            raise SmsError("TREMPLIN_SMS_URL is not set.")
        payload = json.dumps(
            {"to": to, "text": text, "sender": settings.TREMPLIN_SMS_SENDER}
        ).encode()
        headers = {"Content-Type": "application/json"}
        if settings.TREMPLIN_SMS_TOKEN:
            headers["Authorization"] = f"Bearer {settings.TREMPLIN_SMS_TOKEN}"
        request = urllib.request.Request(url, data=payload, headers=headers, method="POST")  # noqa: S310 (the URL is the operator's setting)
        try:
            with urllib.request.urlopen(request, timeout=settings.TREMPLIN_SMS_TIMEOUT) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"The SMS gateway answered {error.code} {error.reason}.") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"The SMS gateway could not be reached: {reason}.") from error
        if not 200 <= status < 300:
            raise SmsError(f"The SMS gateway answered {status}.")


BACKENDS: dict[str, type[SmsBackend]] = {
    "console": ConsoleBackend,
    "memory": MemoryBackend,
    "http": HttpBackend,
}


def sms_backend() -> SmsBackend:
    name = settings.TREMPLIN_SMS_BACKEND
    backend_class: type[SmsBackend] = BACKENDS.get(name) or import_string(name)
    return backend_class()
