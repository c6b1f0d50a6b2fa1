from __future__ import annotations

from django.apps import AppConfig
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

# Names Django's table gets wrong: it calls Khmer "Khmer" in Khmer too, so the language
# switcher an applicant reads showed the Latin word, and writes Vietnamese's name with
# combining accents (NFD), which some phone fonts draw apart (docs/languages.md).
NATIVE_NAMES = {"km": "ខ្មែរ", "vi": "Tiếng Việt"}


class CoreConfig(AppConfig):
    name = "tremplin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        for code, name in NATIVE_NAMES.items():
            LANG_INFO[code] = {**LANG_INFO[code], "name_local": name}
