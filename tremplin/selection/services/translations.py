"""The text of a call that applicants read, in the other languages the organisation offers
(core/translations.py, docs/languages.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.languages import offered_languages
from tremplin.selection.models import Call, Criterion, Stage
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.guards import require


def translation_languages(call: Call) -> list[str]:
    """The languages a call's text is given in besides the one staff typed it in."""
    organisation = call.site.organisation
    return [
        code for code in offered_languages(organisation) if code != organisation.default_language
    ]


def _kept(translations: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    return {code: texts for code, texts in translations.items() if code in languages and texts}


def call_translations_set(*, actor: User, call: Call, texts: dict[str, Any]) -> Call:
    """Store the call's, its stages' and its criteria's text in the other offered languages.
    ``texts`` is ``{"call": {lang: {field: text}}, "stages": {id: ...}, "criteria": {id: ...}}``;
    a stage or criterion of another call is ignored."""
    require(can_manage_call(actor, call))
    languages = translation_languages(call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        before = call.translations
        call.translations = _kept(texts.get("call") or {}, languages)
        call.save(update_fields=["translations", "updated_at"])
        for stage in Stage.objects.filter(call=call, pk__in=list(texts.get("stages") or {})):
            stage.translations = _kept(texts["stages"][stage.pk], languages)
            stage.save(update_fields=["translations"])
        criteria = Criterion.objects.filter(
            stage__call=call, pk__in=list(texts.get("criteria") or {})
        )
        for criterion in criteria:
            criterion.translations = _kept(texts["criteria"][criterion.pk], languages)
            criterion.save(update_fields=["translations"])
        audit_record(
            actor=actor,
            action=AuditAction.CALL_TRANSLATED,
            subject=call,
            changes={"translations": {"from": sorted(before), "to": sorted(call.translations)}},
        )
    return call
