from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.messaging.selectors import can_see_messages

registry.add_nav(
    NavItem(
        label=_("Messages to applicants"),
        url_name="messaging:message-list",
        icon="chat-left-text",
        order=9,
        visible=can_see_messages,
        active_prefix="/messages/",
    )
)
