"""Training: from the selected applicant to the learner who leaves training.

Programme structure (modules, periods, assessments), cohorts and enrolments, the timetable,
roll call and attendance, early warning, competence progress, projects, certification and
exit. See docs/training.md."""
