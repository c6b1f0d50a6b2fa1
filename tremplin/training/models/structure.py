"""A programme's structure: periods (terms or years), modules with the competences they aim
at, and the assessments of a period or module. All of it belongs to the programme, so every
run of the programme, at any site, shares it (a run replicated to a new site finds it)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Programme
from tremplin.placement.models import Competence


class ModuleKind(models.TextChoices):
    DIGITAL = "digital", _("Digital skills")
    LANGUAGE = "language", _("Language")
    SOFT_SKILLS = "soft_skills", _("Soft skills")
    TRADE_PRACTICE = "trade_practice", _("Trade practice")
    REFRESHER = "refresher", _("Refresher")


class Period(models.Model):
    """A term, a semester or a year of a long programme (PN's 2–3-year courses)."""

    class Kind(models.TextChoices):
        TERM = "term", _("Term")
        SEMESTER = "semester", _("Semester")
        YEAR = "year", _("Year")
        PHASE = "phase", _("Phase")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="periods", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TERM)
    position = models.PositiveSmallIntegerField(_("order"))
    weeks = models.PositiveSmallIntegerField(
        _("length in weeks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(156)],
    )

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="training_period_position_once"
            ),
            models.UniqueConstraint(
                fields=["programme", "title"], name="training_period_title_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    """A part of a programme: hours, a kind, an order, and the competences it aims at."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="modules", verbose_name=_("programme")
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("period"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ModuleKind.choices)
    hours = models.PositiveIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    position = models.PositiveSmallIntegerField(_("order"))
    summary = models.TextField(_("summary"), blank=True)
    competences: models.ManyToManyField[Competence, ModuleCompetence] = models.ManyToManyField(
        Competence,
        through="ModuleCompetence",
        related_name="training_modules",
        verbose_name=_("competences aimed at"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="training_module_title_once"
            ),
            models.CheckConstraint(condition=Q(hours__gte=1), name="training_module_has_hours"),
        ]

    def __str__(self) -> str:
        return self.title


class ModuleCompetence(models.Model):
    """A competence a module aims at, and the level of the framework it aims for (1–8)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="targets")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        ordering = ["module", "competence__position"]
        verbose_name = _("competence aimed at")
        verbose_name_plural = _("competences aimed at")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "competence"], name="training_module_competence_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="training_module_level_1_to_8"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} ≥ {self.level}"
