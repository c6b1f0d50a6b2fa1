"""Partners: the organisations around each programme (companies, universities, public bodies,
NGOs and funders), referrals, offers and matching, internship agreements and what happens
during an internship (issue 14). See docs/partners.md."""
