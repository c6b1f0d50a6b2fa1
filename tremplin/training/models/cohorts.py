"""Cohorts and the learners in them.

A run of a programme has one cohort or several (level groups run in parallel, or groups of
12 at a school). A person's place in a cohort is an Enrolment: it starts from an accepted
application (or directly, for open-entry programmes) and ends with an exit status and date.
A transfer ends one enrolment (status "transferred") and starts another in the new cohort;
a learner who left and comes back re-enters the same enrolment. Every change is audited."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import ProgrammeRun
from tremplin.people.models import Person
from tremplin.selection.models import Application, Call


class Cohort(models.Model):
    run = models.ForeignKey(
        ProgrammeRun, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("run")
    )
    # The call whose accepted applicants join; none for an open-entry programme.
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("call for applications"),
    )
    title = models.CharField(_("title"), max_length=200)
    # One of the programme's level groups (Konexio: Beginner, Intermediate, Advanced), or "".
    level = models.CharField(_("level group"), max_length=80, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    open_entry = models.BooleanField(
        _("open entry"),
        default=False,
        help_text=_("Learners join directly, without a call for applications."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="training_cohorts",
        blank=True,
        verbose_name=_("trainers"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_cohorts",
        verbose_name=_("job coach"),
    )
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replicas",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["run", "title"], name="training_cohort_title_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_cohort_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="training_cohort_has_places"),
        ]

    def __str__(self) -> str:
        return self.title


class ExitReason(models.TextChoices):
    """Why a learner left before the end (a reason code, as selection's decisions have)."""

    FOUND_JOB = "found_job", _("Found a job")
    OTHER_TRAINING = "other_training", _("Went to another training")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family reasons")
    MOVED = "moved", _("Moved away")
    MONEY = "money", _("Money or housing difficulties")
    PAPERS = "papers", _("Administrative situation")
    MOTIVATION = "motivation", _("Lost interest")
    LEVEL = "level", _("Course not suited to their level")
    ATTENDANCE = "attendance", _("Too many absences")
    BEHAVIOUR = "behaviour", _("Behaviour")
    UNREACHABLE = "unreachable", _("Stopped coming, not reached")
    OTHER = "other", _("Other")


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In training")
        GRADUATED = "graduated", _("Graduated")
        LEFT_EARLY = "left_early", _("Left early")
        TRANSFERRED = "transferred", _("Transferred")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("learner")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("application"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The level group the learner is in (from the placement test, or moved by a trainer).
    level = models.CharField(_("level group"), max_length=80, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=ExitReason.choices, blank=True
    )
    exit_note = models.TextField(_("note"), blank=True)
    # The learner's private link (learner pages on their phone: progress, signing attendance,
    # the end-of-course survey, certificates); only its hash is kept (core.tokens).
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    transferred_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name=_("transferred to"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "person__legal_family_name", "person__legal_given_names"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="training_enrolment_once"),
            # In training: no exit date; out of it: a date.
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True)
                | (~Q(status="active") & Q(left_on__isnull=False)),
                name="training_enrolment_exit_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="left_early") | ~Q(exit_reason=""),
                name="training_enrolment_left_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="training_enrolment_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"
