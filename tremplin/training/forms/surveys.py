"""The learner's end-of-course survey: five scales from 1 to 5, each value in words, and a
free comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.training.services.surveys import Answers

# applicant-facing: start (docs/languages.md)
SATISFACTION = [
    (5, _("Very happy")),
    (4, _("Happy")),
    (3, _("So-so")),
    (2, _("Unhappy")),
    (1, _("Very unhappy")),
]
RECOMMEND = [
    (5, _("Yes, certainly")),
    (4, _("Probably")),
    (3, _("I am not sure")),
    (2, _("Probably not")),
    (1, _("Certainly not")),
]
QUESTIONS = {
    "overall": _("Overall, how happy are you with the training?"),
    "trainers": _("How happy are you with the trainers?"),
    "content": _("How happy are you with what you learned?"),
    "pace": _("How happy are you with the pace (not too fast, not too slow)?"),
    "recommend": _("Would you recommend this training to a friend?"),
}


def _scale(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=QUESTIONS[name],
        choices=RECOMMEND if name == "recommend" else SATISFACTION,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer.")},
    )


class SurveyAnswerForm(forms.Form):
    overall = _scale("overall")
    trainers = _scale("trainers")
    content = _scale("content")
    pace = _scale("pace")
    recommend = _scale("recommend")
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            overall=data["overall"],
            trainers=data["trainers"],
            content=data["content"],
            pace=data["pace"],
            recommend=data["recommend"],
            comment=data["comment"],
        )


# applicant-facing: end

# The short names of the questions, on the staff's results page.
SHORT = {
    "overall": _("Overall"),
    "trainers": _("Trainers"),
    "content": _("Content"),
    "pace": _("Pace"),
    "recommend": _("Would recommend"),
}
