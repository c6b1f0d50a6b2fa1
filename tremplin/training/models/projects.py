"""Practical projects: a piece of work commissioned by a local business or a partner (how
Simplon works), given to one learner or a named group, and evaluated with a rubric whose
criteria are competences of a framework. An evaluation is evidence of competence."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.placement.models import Competence
from tremplin.training.models.cohorts import Cohort, Enrolment


class Project(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="projects", verbose_name=_("cohort")
    )
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(_("brief"))
    # Who asked for the work: a local business or a partner (a name and a contact until the
    # partners app exists).
    commissioned_by = models.CharField(_("commissioned by"), max_length=200)
    commissioner_contact = models.CharField(_("contact"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "-starts_on", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "title"], name="training_project_title_once"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")),
                name="training_project_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectRubricCriterion(models.Model):
    """A line of the project's rubric: a competence, what each level looks like in this
    project ({"3": "Builds the page from a mock-up", ...}), and its weight in the result."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="criteria")
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    descriptors = models.JSONField(_("what each level looks like"), default=dict, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "competence"], name="training_criterion_competence_once"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="training_criterion_weight_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.competence.code}"


class ProjectAssignment(models.Model):
    """The project given to one learner (no group name) or to a named group of learners."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    group_name = models.CharField(_("group name"), max_length=120, blank=True)
    members = models.ManyToManyField(
        Enrolment, related_name="project_assignments", verbose_name=_("learners")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "group_name", "pk"]
        verbose_name = _("project assignment")
        verbose_name_plural = _("project assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "group_name"],
                condition=~Q(group_name=""),
                name="training_assignment_group_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.group_name or self.pk}"


class ProjectEvaluation(models.Model):
    """The level an assignment reached on one criterion of the rubric."""

    assignment = models.ForeignKey(
        ProjectAssignment, on_delete=models.CASCADE, related_name="evaluations"
    )
    criterion = models.ForeignKey(
        ProjectRubricCriterion, on_delete=models.CASCADE, related_name="evaluations"
    )
    level = models.PositiveSmallIntegerField(
        _("level reached"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "criterion__position"]
        verbose_name = _("project evaluation")
        verbose_name_plural = _("project evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="training_evaluation_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="training_evaluation_level_1_to_8"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.criterion.competence.code} {self.level}"
