"""Calls for applications, their stages, applications and what each stage decided."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedTextField
from tremplin.network.languages import CEFR_LEVELS, validate_language_code
from tremplin.network.models import ProgrammeRun, Region, Site
from tremplin.outreach.models import Channel
from tremplin.people.models import Gender, Person


class Call(models.Model):
    """A call for applications: a programme run's intake."""

    run = models.ForeignKey(
        ProgrammeRun,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("programme run"),
    )
    # The site that runs the call (the run's site); its staff handle the applications.
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="calls", verbose_name=_("site")
    )
    slug = models.SlugField(
        _("short name"),
        max_length=64,
        unique=True,
        help_text=_("Used in the public link and on the command line, for example pn-kh-2027."),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction for applicants"),
        blank=True,
        help_text=_("A few plain sentences shown at the top of the application form."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Applicants can use the form while it is open.")
    )
    age_reference_date = models.DateField(
        _("age counted on"), help_text=_("Ages are worked out on this date, usually the start.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    required_language = models.CharField(
        _("required language"), max_length=8, blank=True, validators=[validate_language_code]
    )
    required_language_level = models.CharField(
        _("minimum level in that language"), max_length=2, choices=CEFR_LEVELS, blank=True
    )
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("One document per line, for example: identity document."),
    )
    administrative_checks = models.JSONField(
        _("administrative checks"),
        default=list,
        blank=True,
        help_text=_("One check per line, for example: right to train in France."),
    )
    contact_email = models.EmailField(
        _("contact e-mail for applicants"),
        blank=True,
        help_text=_("Where applicants write to ask a person for help."),
    )
    contact_phone = models.CharField(_("contact phone for applicants"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="call_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(required_language="", required_language_level="")
                | (~Q(required_language="") & ~Q(required_language_level="")),
                name="call_language_with_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CallSite(models.Model):
    """Seats offered at one site by a call (a call may fill several sites)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_sites")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="call_sites", verbose_name=_("site")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["call", "site__name"]
        verbose_name = _("seats at a site")
        verbose_name_plural = _("seats per site")
        constraints = [
            models.UniqueConstraint(fields=["call", "site"], name="call_site_once"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="call_site_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.seats}"


class StageKind(models.TextChoices):
    INFORMATION_SESSION = "information_session", _("Information session attended")
    WRITTEN_EXAM = "written_exam", _("Written exam or test (a score)")
    INTERVIEW = "interview", _("Interview with a scorecard")
    SOCIAL_INVESTIGATION = "social_investigation", _("Social investigation (home visit)")
    ADMINISTRATIVE_CHECK = "administrative_check", _("Administrative check")


class Stage(models.Model):
    """One step of a call's selection, in order."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=32, choices=StageKind.choices)
    name = models.CharField(_("name"), max_length=120)
    max_score = models.DecimalField(
        _("highest possible score"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Scores below this are proposed for rejection. Leave empty for none."),
    )
    raters_per_application = models.PositiveSmallIntegerField(
        _("raters per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    standardise_raters = models.BooleanField(
        _("correct for severe or lenient raters"),
        default=False,
        help_text=_(
            "Each rater's marks are put on the common scale (same mean and spread) before they "
            "are averaged. Needs at least three interviews per rater."
        ),
    )
    # Social investigation: the questions and how each answer weighs on the need index.
    questionnaire = models.JSONField(_("questionnaire"), default=list, blank=True)
    cohort_weight = models.DecimalField(
        _("weight in the cohort score"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_(
            "How much this stage's score counts when the committee chooses the cohort "
            "(0: not at all). Scores are put on a 0–100 scale first."
        ),
    )

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="stage_position_once"),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True)
                | Q(max_score__isnull=True)
                | Q(pass_mark__lte=models.F("max_score")),
                name="stage_pass_mark_within_max",
            ),
            models.CheckConstraint(
                condition=Q(cohort_weight__gte=0), name="stage_cohort_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scored(self) -> bool:
        return self.kind in {StageKind.WRITTEN_EXAM, StageKind.INTERVIEW}


class Criterion(models.Model):
    """An interview criterion, weighted, with a description of what each mark means."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    # Five anchors: what a 1, 2, 3, 4 and 5 look like.
    anchors = models.JSONField(_("what each mark means"), default=list)

    class Meta:
        ordering = ["stage", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["stage", "position"], name="criterion_position_once"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_25 = "18_25", _("18 to 25")
    AGE_26_30 = "26_30", _("26 to 30")
    AGE_31_45 = "31_45", _("31 to 45")
    OVER_45 = "over_45", _("Over 45")
    UNKNOWN = "unknown", _("Not known")


class Application(models.Model):
    """One person's application to one call, from the first step of the form to the decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        IMPORT = "import", _("Imported file")
        STAFF = "staff", _("Entered by staff")

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        REJECTED = "rejected", _("Not selected")
        WAITLISTED = "waitlisted", _("On the waiting list")
        SELECTED = "selected", _("Selected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.IN_PROGRESS
    )
    # The sites the applicant can attend, in order of preference (ids of the call's sites).
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("preferred site"),
    )
    site_choices = models.JSONField(default=list, blank=True)
    # What the applicant typed, step by step, until the application is submitted.
    answers = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=1)
    language = models.CharField(_("language"), max_length=8, default="fr")
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    eligible = models.BooleanField(null=True)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    help_requested = models.TextField(_("question for the team"), blank=True)
    help_requested_at = models.DateTimeField(null=True, blank=True)
    # Stages passed so far (0 = none): the funnel reads this, never the results one by one.
    stages_passed = models.PositiveSmallIntegerField(default=0)
    # Snapshot at submission for the funnel, so it needs no join (see docs/decisions).
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_neighbourhood = models.BooleanField(default=False)
    age_band = models.CharField(
        max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN, blank=True
    )
    channel = models.CharField(
        _("how did you hear about us"), max_length=32, choices=Channel.choices, blank=True
    )
    attended_information_session = models.BooleanField(default=False)
    import_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "person"],
                condition=Q(person__isnull=False),
                name="application_once_per_person_and_call",
            ),
            models.UniqueConstraint(
                fields=["call", "import_key"],
                condition=~Q(import_key=""),
                name="application_import_key_once",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(person__isnull=False),
                name="application_submitted_has_person",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status", "stages_passed"], name="application_funnel"),
        ]

    def __str__(self) -> str:
        return f"{self.person or _('Draft')} — {self.call}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ADVANCE = "advance", _("Goes on to the next stage")
    REJECT = "reject", _("Stops here")
    WAITLIST = "waitlist", _("Waiting list")


class ReasonCode(models.TextChoices):
    PASSED = "passed", _("Reached the pass mark")
    BELOW_PASS_MARK = "below_pass_mark", _("Below the pass mark")
    NOT_ELIGIBLE = "not_eligible", _("Does not meet an eligibility rule")
    MISSING_DOCUMENTS = "missing_documents", _("Documents missing")
    ADMINISTRATIVE = "administrative", _("Administrative situation")
    MOTIVATION = "motivation", _("Motivation or project")
    NEED = "need", _("Social need")
    NO_SHOW = "no_show", _("Did not come")
    WITHDREW = "withdrew", _("Withdrew")
    SEATS = "seats", _("No seat left")
    OTHER = "other", _("Other (see the note)")


class StageResult(models.Model):
    """What a stage found for one application: a score (when scored) and the decision."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_results"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=ReasonCode.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "stage__position"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="stage_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.get_decision_display()}"


class InterviewAssignment(models.Model):
    """A rater asked to interview one applicant; their marks stay hidden from the other
    raters until each has submitted their own."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interview_assignments"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interview_assignments"
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "rater__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "rater"], name="interview_rater_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.application}"


class Rating(models.Model):
    """One rater's mark on one criterion (1 to 5)."""

    assignment = models.ForeignKey(
        InterviewAssignment, on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(
        _("mark"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="rating_once"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class SocialInvestigation(models.Model):
    """A home visit: the questionnaire's answers (sensitive, encrypted) and the need index."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="social_investigations"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="investigations")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_investigations"
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    answers = EncryptedTextField(_("answers"), blank=True)
    need_index = models.DecimalField(
        _("need index"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="investigation_once"),
            models.CheckConstraint(
                condition=Q(need_index__isnull=True) | Q(need_index__gte=0, need_index__lte=100),
                name="need_index_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}"


class AdministrativeCheck(models.Model):
    """Documents received and the administrative situation found (sensitive)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="administrative_checks"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="checks")
    documents_received = models.JSONField(default=list, blank=True)
    checks_passed = models.JSONField(default=list, blank=True)
    findings = EncryptedTextField(_("what was found"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="admin_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application}"


class FinalDecision(models.Model):
    """The outcome of an application: proposed by an officer, validated by the committee,
    reversed only by a manager with a reason (the reversed row stays, for the record)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VALIDATED = "validated", _("Validated by the committee")
        REVERSED = "reversed", _("Reversed")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="final_decisions"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=[
            (Application.Outcome.SELECTED, Application.Outcome.SELECTED.label),
            (Application.Outcome.WAITLISTED, Application.Outcome.WAITLISTED.label),
            (Application.Outcome.REJECTED, Application.Outcome.REJECTED.label),
        ],
    )
    reason = models.CharField(_("reason"), max_length=32, choices=ReasonCode.choices)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(_("why it is reversed"), blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(state="reversed"),
                name="one_standing_decision_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(state="reversed") | ~Q(reversal_reason=""),
                name="reversal_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="validated") | Q(validated_at__isnull=False),
                name="validated_decision_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class CohortAttribute(models.TextChoices):
    GENDER = "gender", _("Gender")
    REGION = "region", _("Region")
    PRIORITY = "priority_neighbourhood", _("Priority neighbourhood")
    AGE_BAND = "age_band", _("Age band")
    CHANNEL = "channel", _("How they heard about us")
    NATIONALITY = "nationality", _("Nationality")


class CohortRuleKind(models.TextChoices):
    MIN_SHARE = "min_share", _("At least this share")
    MAX_SHARE = "max_share", _("At most this share")
    MIN_COUNT = "min_count", _("At least this many")
    MAX_COUNT = "max_count", _("At most this many")
    MAX_COUNT_EACH = "max_count_each", _("At most this many for each value")


class CohortRule(models.Model):
    """A commitment the cohort must keep: at least 50 % women, at most 12 per province…"""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="cohort_rules")
    position = models.PositiveSmallIntegerField(_("position"))
    attribute = models.CharField(_("about"), max_length=32, choices=CohortAttribute.choices)
    kind = models.CharField(_("rule"), max_length=16, choices=CohortRuleKind.choices)
    value = models.CharField(_("value"), max_length=64, blank=True)
    target = models.DecimalField(
        _("target"),
        max_digits=7,
        decimal_places=4,
        help_text=_("A share is written between 0 and 1 (0.5 for 50 %); a count is whole."),
    )
    per_site = models.BooleanField(_("at each site"), default=False)

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("cohort rule")
        verbose_name_plural = _("cohort rules")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="cohort_rule_position_once"),
            models.CheckConstraint(
                condition=~Q(kind__in=["min_share", "max_share"]) | Q(target__gte=0, target__lte=1),
                name="cohort_rule_share_between_0_and_1",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="cohort_rule_target_positive"),
            models.CheckConstraint(
                condition=Q(kind="max_count_each", value="")
                | (~Q(kind="max_count_each") & ~Q(value="")),
                name="cohort_rule_value_unless_each",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} {self.get_kind_display()} {self.target}"


class CohortPin(models.Model):
    """The committee's own choice for one applicant: always in, or never."""

    class Must(models.TextChoices):
        INCLUDE = "include", _("Always in the cohort")
        EXCLUDE = "exclude", _("Never in the cohort")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="cohort_pin"
    )
    must = models.CharField(_("committee's choice"), max_length=8, choices=Must.choices)
    note = models.CharField(_("why"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("committee's choice")
        verbose_name_plural = _("committee's choices")
        constraints = [
            models.CheckConstraint(
                condition=Q(must__in=["include", "exclude"]), name="cohort_pin_must_known"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="cohort_pin_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_must_display()}"


class CohortRound(models.Model):
    """One run of the optimiser the committee acted on: what it was asked, what it found,
    who proposed and validated it, and the minutes. Kept whole, so the minutes can be
    printed again as they were."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed to the committee")
        VALIDATED = "validated", _("Validated by the committee")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="cohort_rounds")
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    # The question: seats, sites, weights, rules; the answer: status, objective, bound, each
    # applicant's outcome and reason, each rule's gauge. Names, never sensitive data.
    snapshot = models.JSONField(default=dict)
    objective = models.FloatField()
    bound = models.FloatField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    members_present = models.TextField(_("members present"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["call", "-proposed_at"]
        verbose_name = _("committee round")
        verbose_name_plural = _("committee rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="proposed")
                | Q(validated_at__isnull=False, validated_by__isnull=False),
                name="cohort_round_validated_has_who_and_when",
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(state="proposed"),
                name="cohort_round_one_open_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.proposed_at:%Y-%m-%d}"
