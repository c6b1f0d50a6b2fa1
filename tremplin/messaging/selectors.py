"""Reads for messages: staff who run selection at a site see the messages sent from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.messaging.models import Message
from tremplin.network.models import Role, Site
from tremplin.network.selectors import scope_for

MESSAGING_ROLES = frozenset({Role.SITE_MANAGER, Role.SELECTION_OFFICER})


def can_see_messages(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(MESSAGING_ROLES)
    )


def can_message_at(user: User, site: Site) -> bool:
    scope = scope_for(user)
    if scope.superuser or site.organisation_id in scope.admin_organisation_ids():
        return True
    return site.pk in scope.site_ids(MESSAGING_ROLES)


def messages_visible(*, user: User, status: str = "") -> QuerySet[Message]:
    queryset = Message.objects.filter(scope_for(user).site_filter(MESSAGING_ROLES)).select_related(
        "site", "person"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def message_get(*, user: User, message_id: int) -> Message:
    message = messages_visible(user=user).filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


def messages_about(*, subject: models.Model) -> QuerySet[Message]:
    """The messages about a record the caller has already found in the user's scope."""
    return Message.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=subject.pk
    ).order_by("-created_at", "-pk")


def failed_about(*, subject_type: str, subject_ids: QuerySet[Any] | list[int]) -> QuerySet[Message]:
    """Messages not delivered about any of these records (the call page's list)."""
    return Message.objects.filter(
        subject_type=subject_type, subject_id__in=subject_ids, status=Message.Status.FAILED
    ).select_related("person")


def sent_channels_about(
    *, kind: str, subject_type: str, subject_ids: list[int]
) -> list[tuple[int | None, str, datetime]]:
    """(record id, channel, when created) of each message of this kind delivered about any of
    these records: how someone was actually told."""
    return list(
        Message.objects.filter(
            kind=kind,
            subject_type=subject_type,
            subject_id__in=subject_ids,
            status=Message.Status.SENT,
        ).values_list("subject_id", "channel", "created_at")
    )
