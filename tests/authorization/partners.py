"""Matrix rows for partners (issue 14): the organisation's partners, offers, referrals,
matching, agreements and internships, and the private links of people outside it.

Partners are shared by an organisation's sites: its network admin, and the site managers and
job coaches of its sites, use them (``partners.selectors.access``). Beta's manager uses the
pages for Beta's partners and gets 404 for Alpha's records. Every other role is refused.
Each area of partners adds its rows in its own module (partners_*.py), listed here.
"""

from __future__ import annotations

from tests.authorization import (
    partners_agreements,
    partners_internships,
    partners_offers,
    partners_orgs,
    partners_referrals,
)
from tests.authorization.partners_answers import PARTNER_PAGES
from tests.authorization.records import no_kwargs
from tests.authorization.rows import Row

ROWS: list[Row] = [
    Row("partners:home", no_kwargs, PARTNER_PAGES),
    *partners_orgs.ROWS,
    *partners_referrals.ROWS,
    *partners_offers.ROWS,
    *partners_agreements.ROWS,
    *partners_internships.ROWS,
]
