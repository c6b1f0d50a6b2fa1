"""A logging filter that keeps sensitive values out of the logs."""

from __future__ import annotations

import logging
import re

from tremplin.core.encryption import MASK

# Field names whose values must never reach a log line, in `name=value` or `"name": value` form.
SENSITIVE_NAMES = (
    "administrative_situation",
    "administrative_notes",
    "social_investigation",
    "salary",
    "health",
    "password",
)
_PATTERN = re.compile(
    r"(?P<key>['\"]?(?:" + "|".join(SENSITIVE_NAMES) + r")\w*['\"]?\s*[:=]\s*)"
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^,;&\s}]+)",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    return _PATTERN.sub(lambda m: m.group("key") + MASK, text)


class MaskSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
