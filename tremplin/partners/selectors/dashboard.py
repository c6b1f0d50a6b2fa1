"""The partners' dashboard: internships per partner and per site (by status), places offered
and filled, time from training end to internship start, hiring after the internship per
partner, and partners' engagement per quarter. Each figure is one grouped query (or two), so
the page's query count does not grow with the data.

Scope: internships by the learner's site (``access.learner_filter``), offers and the
timeline by the partner's organisation (``access.partner_filter``). The site filter applies to
internships (the learner's site) and to offers (the site they are for, or every site); the
year to internships (by start), offers (by start) and the timeline (by date)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from tremplin.core.models import User
from tremplin.core.numbers import number_text, percent_text
from tremplin.network.models import Site
from tremplin.network.selectors import scope_for
from tremplin.partners.models import (
    Interaction,
    Internship,
    InternshipStatus,
    Match,
    MatchStatus,
    Offer,
    OfferStatus,
)
from tremplin.partners.selectors.access import PARTNER_ROLES, learner_filter, partner_filter
from tremplin.partners.selectors.follow_up import ENDED

STATUSES = [s for s in InternshipStatus if s != InternshipStatus.CANCELLED]


def dashboard_sites(*, user: User) -> QuerySet[Site]:
    """The sites whose learners' internships the user sees (for the filter)."""
    scope = scope_for(user)
    sites = Site.objects.select_related("organisation").order_by("organisation__name", "name")
    if scope.superuser:
        return sites
    return sites.filter(
        Q(pk__in=scope.site_ids(PARTNER_ROLES))
        | Q(organisation_id__in=scope.admin_organisation_ids())
    )


def _share(part: int, whole: int) -> str:
    """ "46 %" in the reader's language (written when the page is shown); "—" of nothing."""
    return percent_text(100 * part / whole) if whole else "—"


@dataclass
class StatusRow:
    name: str
    counts: list[int]
    total: int = 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        """Each status's label with its count (the label names the cell on a phone)."""
        return [(str(s.label), n) for s, n in zip(STATUSES, self.counts, strict=True)]


@dataclass
class PlacesRow:
    name: str
    offers: int = 0
    places: int = 0
    filled: int = 0

    @property
    def share(self) -> str:
        return _share(self.filled, self.places)


@dataclass
class HiringRow:
    name: str
    ended: int = 0
    hired: int = 0
    not_known: int = 0

    @property
    def share(self) -> str:
        return _share(self.hired, self.ended)


@dataclass
class Delay:
    name: str
    people: int
    median_days: float | None
    before_end: int  # internships starting before the training ended

    @property
    def median_text(self) -> str:
        return "—" if self.median_days is None else number_text(self.median_days, places=1)


@dataclass
class QuarterRow:
    year: int
    quarter: int
    interactions: int = 0
    partners: int = 0
    internships: int = 0


@dataclass
class Dashboard:
    statuses: list[str]
    per_partner: list[StatusRow]
    per_site: list[StatusRow]
    places: list[PlacesRow]
    places_total: PlacesRow
    delays: list[Delay]
    hiring: list[HiringRow]
    hiring_total: HiringRow
    quarters: list[QuarterRow] = field(default_factory=list)


def _internships(user: User, site: Site | None, year: int | None) -> QuerySet[Internship]:
    internships = Internship.objects.filter(learner_filter(user)).exclude(
        status=InternshipStatus.CANCELLED
    )
    if site is not None:
        internships = internships.filter(enrolment__cohort__run__site=site)
    if year is not None:
        internships = internships.filter(starts_on__year=year)
    return internships


def _status_rows(internships: QuerySet[Internship], group: str, name: str) -> list[StatusRow]:
    rows: dict[int, StatusRow] = {}
    index = {s.value: i for i, s in enumerate(STATUSES)}
    for row in internships.values(group, name, "status").annotate(n=Count("pk")).order_by(name):
        shown = rows.setdefault(row[group], StatusRow(row[name], [0] * len(STATUSES)))
        shown.counts[index[row["status"]]] += row["n"]
        shown.total += row["n"]
    return sorted(rows.values(), key=lambda r: (-r.total, r.name))


def _places(user: User, site: Site | None, year: int | None) -> tuple[list[PlacesRow], PlacesRow]:
    """Open offers' places, and how many are filled: internships made from the offer (not
    cancelled), and confirmed matches that have no internship yet."""
    offers = Offer.objects.filter(partner_filter(user, field="partner"), status=OfferStatus.OPEN)
    if site is not None:
        offers = offers.filter(Q(site=site) | Q(site__isnull=True))
    if year is not None:
        offers = offers.filter(Q(starts_on__year=year) | Q(starts_on__isnull=True))
    rows: dict[int, PlacesRow] = {}
    for row in offers.values("partner_id", "partner__name").annotate(
        n=Count("pk"), places=Sum("places")
    ):
        rows[row["partner_id"]] = PlacesRow(row["partner__name"], row["n"], row["places"] or 0)
    made = (
        Internship.objects.filter(offer__in=offers)
        .exclude(status=InternshipStatus.CANCELLED)
        .values("offer__partner_id")
        .annotate(n=Count("pk"))
    )
    waiting = (
        Match.objects.filter(
            offer__in=offers, status=MatchStatus.CONFIRMED, internship__isnull=True
        )
        .values("offer__partner_id")
        .annotate(n=Count("pk"))
    )
    for counted in (made, waiting):
        for row in counted:
            if row["offer__partner_id"] in rows:
                rows[row["offer__partner_id"]].filled += row["n"]
    shown = sorted(rows.values(), key=lambda r: (-r.places, r.name))
    total = PlacesRow(
        "",
        sum(r.offers for r in shown),
        sum(r.places for r in shown),
        sum(r.filled for r in shown),
    )
    return shown, total


def _delays(internships: QuerySet[Internship]) -> list[Delay]:
    """Days from the end of training (the day the learner left, else the cohort's end) to the
    internship's start, per site and in all: the median and the number of people."""
    by_site: dict[str, list[int]] = defaultdict(list)
    for name, starts_on, left_on, cohort_ends in internships.values_list(
        "enrolment__cohort__run__site__name",
        "starts_on",
        "enrolment__left_on",
        "enrolment__cohort__ends_on",
    ):
        by_site[name].append((starts_on - (left_on or cohort_ends)).days)
    everyone = [d for days in by_site.values() for d in days]

    def delay(name: str, days: list[int]) -> Delay:
        return Delay(
            name, len(days), statistics.median(days) if days else None, sum(d < 0 for d in days)
        )

    rows = [delay(name, days) for name, days in sorted(by_site.items())]
    if len(rows) != 1:
        rows.append(delay("", everyone))
    return rows


def _hiring(internships: QuerySet[Internship]) -> tuple[list[HiringRow], HiringRow]:
    rows: dict[int, HiringRow] = {}
    ended = internships.filter(status__in=ENDED)
    for row in ended.values("partner_id", "partner__name", "job_offered").annotate(n=Count("pk")):
        shown = rows.setdefault(row["partner_id"], HiringRow(row["partner__name"]))
        shown.ended += row["n"]
        if row["job_offered"] is True:
            shown.hired += row["n"]
        elif row["job_offered"] is None:
            shown.not_known += row["n"]
    listed = sorted(rows.values(), key=lambda r: (-r.ended, r.name))
    total = HiringRow(
        "",
        sum(r.ended for r in listed),
        sum(r.hired for r in listed),
        sum(r.not_known for r in listed),
    )
    return listed, total


def _quarters(
    user: User, internships: QuerySet[Internship], year: int | None, today: dt.date
) -> list[QuarterRow]:
    """Interactions with partners (and how many partners), and internships started, per
    quarter: the four of the year chosen, else the last eight."""
    if year is not None:
        wanted = [(year, q) for q in (1, 2, 3, 4)]
    else:
        current = (today.year, (today.month - 1) // 3 + 1)
        wanted = []
        y, q = current
        for _i in range(8):
            wanted.append((y, q))
            y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        wanted.reverse()
    rows = {key: QuarterRow(*key) for key in wanted}
    first = dt.date(wanted[0][0], 3 * wanted[0][1] - 2, 1)
    interactions = (
        Interaction.objects.filter(partner_filter(user, field="partner"), happened_on__gte=first)
        .annotate(y=ExtractYear("happened_on"), q=ExtractQuarter("happened_on"))
        .values("y", "q")
        .annotate(n=Count("pk"), partners=Count("partner", distinct=True))
    )
    for row in interactions:
        if (row["y"], row["q"]) in rows:
            rows[(row["y"], row["q"])].interactions = row["n"]
            rows[(row["y"], row["q"])].partners = row["partners"]
    started = (
        internships.filter(starts_on__gte=first)
        .annotate(y=ExtractYear("starts_on"), q=ExtractQuarter("starts_on"))
        .values("y", "q")
        .annotate(n=Count("pk"))
    )
    for row in started:
        if (row["y"], row["q"]) in rows:
            rows[(row["y"], row["q"])].internships = row["n"]
    return list(rows.values())


def dashboard(
    *, user: User, site: Site | None = None, year: int | None = None, today: dt.date
) -> Dashboard:
    internships = _internships(user, site, year)
    places, places_total = _places(user, site, year)
    hiring, hiring_total = _hiring(internships)
    return Dashboard(
        statuses=[str(s.label) for s in STATUSES],
        per_partner=_status_rows(internships, "partner_id", "partner__name"),
        per_site=_status_rows(
            internships, "enrolment__cohort__run__site_id", "enrolment__cohort__run__site__name"
        ),
        places=places,
        places_total=places_total,
        delays=_delays(internships),
        hiring=hiring,
        hiring_total=hiring_total,
        quarters=_quarters(user, internships, year, today),
    )
