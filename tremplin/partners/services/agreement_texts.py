"""The agreement texts shipped to every organisation (its first visit to the agreement
templates, or the demo, calls ``services.agreements.agreement_defaults_seed``): the French
convention de stage with the headings of the Code de l'éducation (articles L124-1 ff. and
D124-4), and an internship agreement in English for Cambodia, Vietnam and the Philippines.
The organisation edits them; they are data, never code, once seeded."""

from __future__ import annotations

FRENCH_NAME = "Convention de stage (France)"

FRENCH_BODY = """\
# Convention de stage

Convention conclue en application des articles L124-1 à L124-20 et D124-1 à D124-13 du Code \
de l'éducation.

# Article 1 — Les parties

L'organisme de formation : {organisation_name}, site de {site} ({site_address}), représenté \
par son référent de stage {referent_name}.

L'organisme d'accueil : {partner_name}, {partner_address}, numéro d'immatriculation \
{partner_registration_number}.

Le ou la stagiaire : {learner_name}, né(e) le {learner_birth_date}, inscrit(e) dans la \
formation {programme}.

# Article 2 — Objet de la convention et activités confiées

La présente convention règle les rapports entre l'organisme d'accueil, l'organisme de \
formation et le ou la stagiaire. Le stage correspond à une période temporaire de mise en \
situation en milieu professionnel au cours de laquelle le ou la stagiaire acquiert des \
compétences professionnelles en lien avec sa formation.

Activités confiées : {tasks}

# Article 3 — Dates et durée hebdomadaire de présence

Le stage se déroule du {starts_on} au {ends_on} ({duration_days} jours calendaires). La \
durée hebdomadaire de présence du ou de la stagiaire est de {hours_per_week} heures. Les \
règles de l'organisme d'accueil sur la durée du travail, les repos et les jours fériés \
s'appliquent au ou à la stagiaire (article L124-14).

# Article 4 — Gratification

Lorsque la durée du stage est supérieure à deux mois consécutifs ou non, le stage fait \
l'objet d'une gratification (article L124-6). Gratification convenue : {pay}.

# Article 5 — Tuteur et référent

Le tuteur ou la tutrice au sein de l'organisme d'accueil est {tutor_name}, chargé(e) \
d'accueillir et d'accompagner le ou la stagiaire. Le référent au sein de l'organisme de \
formation est {referent_name}. Ils assurent ensemble le suivi du stage.

# Article 6 — Protection sociale

Le ou la stagiaire continue de bénéficier de la protection sociale dont il ou elle relève. \
En cas d'accident survenu au ou à la stagiaire durant le stage ou le trajet, l'organisme \
d'accueil informe sans délai l'organisme de formation.

# Article 7 — Obligations de l'organisme de formation

{school_obligations}

# Article 8 — Obligations de l'organisme d'accueil

{company_obligations}

# Article 9 — Absences et congés

Toute absence est signalée à l'organisme de formation. Pour un stage de plus de deux mois, \
la convention prévoit la possibilité de congés et d'autorisations d'absence (article L124-13).

# Article 10 — Confidentialité

Le ou la stagiaire s'engage à ne pas divulguer les informations recueillies auprès de \
l'organisme d'accueil, sauf accord de celui-ci.

# Article 11 — Interruption et résiliation

Le stage peut être interrompu à l'initiative de l'une des parties, après information des \
autres parties et pour un motif sérieux. En cas d'interruption, l'organisme de formation \
en est informé par écrit.

# Article 12 — Signatures

Fait le {today}, en autant d'exemplaires que de parties.
"""

FRENCH_SCHOOL_OBLIGATIONS = (
    "Désigner un référent qui suit le stage, s'assure de son bon déroulement et de son lien "
    "avec la formation ; évaluer le stage avec le tuteur ; délivrer au stagiaire une "
    "attestation de stage."
)
FRENCH_COMPANY_OBLIGATIONS = (
    "Accueillir le stagiaire, lui confier les seules activités prévues, désigner un tuteur, "
    "respecter la durée de présence convenue et verser la gratification due ; remettre au "
    "stagiaire une attestation de stage à la fin du stage."
)

ENGLISH_NAME = "Internship agreement ({country_name})"

ENGLISH_BODY = """\
# Internship agreement

# 1. The parties

The training organisation: {organisation_name}, {site} ({site_address}), represented by its \
referent {referent_name}.

The host company: {partner_name}, {partner_address}, registration number \
{partner_registration_number}.

The intern: {learner_name}, born on {learner_birth_date}, enrolled in {programme}.

# 2. Purpose and tasks

This agreement sets out how the intern is hosted by the company so that the intern applies \
and develops the skills of the programme at work.

Tasks: {tasks}

# 3. Dates and working hours

The internship runs from {starts_on} to {ends_on} ({duration_days} calendar days), \
{hours_per_week} hours a week, in {country}. The company's rules on working hours, rest and \
public holidays apply.

# 4. Allowance

Allowance or pay agreed: {pay}.

# 5. Tutor and referent

The company tutor is {tutor_name}. The organisation's referent is {referent_name}. They \
follow the internship together and evaluate the intern at the end.

# 6. Insurance and health

The intern keeps the insurance cover provided by the organisation. The company tells the \
organisation at once of any accident or health problem during the internship.

# 7. The organisation's obligations

{school_obligations}

# 8. The company's obligations

{company_obligations}

# 9. Absences

The intern tells the company tutor and the referent of any absence.

# 10. Confidentiality

The intern keeps confidential what they learn of the company's business, unless the company \
agrees otherwise.

# 11. Ending the agreement

Any party may end the internship early for a serious reason, after telling the other \
parties in writing.

# 12. Signatures

Signed on {today}, one copy for each party.
"""

ENGLISH_SCHOOL_OBLIGATIONS = (
    "Name a referent who follows the internship, keep in touch with the tutor, visit or call "
    "the intern, and give the intern a certificate of internship."
)
ENGLISH_COMPANY_OBLIGATIONS = (
    "Host the intern in a safe workplace, give only the agreed tasks, name a tutor, keep to "
    "the agreed hours, pay the agreed allowance, and evaluate the intern at the end."
)

# Khmer and Vietnamese versions are the organisation's to add (same placeholders).
ENGLISH_COUNTRIES = (("KH", "Cambodia"), ("VN", "Vietnam"), ("PH", "the Philippines"))
