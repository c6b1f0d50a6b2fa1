"""What each app adds to the navigation, to the dashboard and to a person's page.

Core cannot import the apps built on it, so they register here in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import Promise

from tremplin.core.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    order: int
    visible: Callable[[User], bool]
    active_prefix: str = ""


@dataclass(frozen=True)
class Tile:
    """A dashboard block: a template and the context it needs, or nothing for this user."""

    order: int
    build: Callable[[HttpRequest, User], dict[str, Any] | None]
    template: str


@dataclass(frozen=True)
class PersonPanel:
    """A section of a person's page: a template and the context it needs, or nothing for this
    user and this person. ``build(request, user, person)``."""

    order: int
    build: Callable[[HttpRequest, User, Any], dict[str, Any] | None]
    template: str


@dataclass(frozen=True)
class LightPage:
    """A page an applicant or learner sees, perhaps on a 2G phone: it gets the trimmed
    stylesheet (built from ``templates`` by ``tremplin build_light_assets``) and no script it
    does not need. ``templates``: every template the page renders besides base.html and the
    form templates; the size-budget test checks the list is complete."""

    url_name: str
    templates: tuple[str, ...]


@dataclass(frozen=True)
class LearnerLink:
    """A link on the learner's home page (their private link), added by an app on the right
    of training: ``build(enrolment, token)`` gives {"url", "label", "icon"} or None."""

    order: int
    build: Callable[[Any, str], dict[str, Any] | None]


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    person_panels: list[PersonPanel] = field(default_factory=list)
    light_pages: dict[str, LightPage] = field(default_factory=dict)
    # The people a trainer may see at the sites where they train (training: the learners of
    # the cohorts they teach). Each gives a condition on Person for a user; people's
    # selectors OR them together. None registered: a trainer sees no one.
    person_scopes: list[Callable[[User], Q]] = field(default_factory=list)
    learner_links: list[LearnerLink] = field(default_factory=list)

    def add_nav(self, item: NavItem) -> None:
        if all(existing.url_name != item.url_name for existing in self.nav):
            self.nav.append(item)
            self.nav.sort(key=lambda i: i.order)

    def add_tile(self, tile: Tile) -> None:
        if all(existing.template != tile.template for existing in self.tiles):
            self.tiles.append(tile)
            self.tiles.sort(key=lambda t: t.order)

    def add_person_panel(self, panel: PersonPanel) -> None:
        if all(existing.template != panel.template for existing in self.person_panels):
            self.person_panels.append(panel)
            self.person_panels.sort(key=lambda p: p.order)

    def add_light_page(self, page: LightPage) -> None:
        self.light_pages[page.url_name] = page

    def add_learner_link(self, link: LearnerLink) -> None:
        if link not in self.learner_links:
            self.learner_links.append(link)
            self.learner_links.sort(key=lambda item: item.order)

    def add_person_scope(self, scope: Callable[[User], Q]) -> None:
        if scope not in self.person_scopes:
            self.person_scopes.append(scope)


registry = Registry()
