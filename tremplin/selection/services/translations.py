"""The text of a call that applicants read, in the other languages the organisation offers
(core/translations.py, docs/languages.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.translations import Translatable
from tremplin.network.languages import offered_languages
from tremplin.selection.models import Call, Criterion, Stage
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.guards import require

CALL_TEXTS = (
    Translatable("title", _("Title")),
    Translatable("introduction", _("Introduction for applicants"), "text"),
    Translatable("required_documents", _("Required documents, one per line"), "lines"),
)
STAGE_TEXTS = (Translatable("name", _("Stage name")),)
CRITERION_TEXTS = (Translatable("name", _("Criterion")),)


def question_texts(stage: Stage) -> tuple[Translatable, ...]:
    """A social investigation's questions, each by its key (``question:<key>``)."""
    return tuple(
        Translatable(f"question:{q['key']}", gettext(str(q.get("label") or q["key"])))
        for q in stage.questionnaire or []
        if isinstance(q, dict) and isinstance(q.get("key"), str)
    )


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
    ``texts`` is ``{"call": {lang: {field: text}}, "stage<id>": ..., "criterion<id>": ...}``
    (CallTranslationsForm.texts); a stage or criterion of another call is ignored."""
    require(can_manage_call(actor, call))
    languages = translation_languages(call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        before = call.translations
        call.translations = _kept(texts.get("call") or {}, languages)
        call.save(update_fields=["translations", "updated_at"])
        for stage in Stage.objects.filter(call=call):
            if f"stage{stage.pk}" in texts:
                stage.translations = _kept(texts[f"stage{stage.pk}"], languages)
                stage.save(update_fields=["translations"])
        for criterion in Criterion.objects.filter(stage__call=call):
            if f"criterion{criterion.pk}" in texts:
                criterion.translations = _kept(texts[f"criterion{criterion.pk}"], languages)
                criterion.save(update_fields=["translations"])
        audit_record(
            actor=actor,
            action=AuditAction.CALL_TRANSLATED,
            subject=call,
            changes={"translations": {"from": sorted(before), "to": sorted(call.translations)}},
        )
    return call
