"""Choosing a cohort under quotas: exact, explained, with a computed waiting list.

How it is solved (docs/decisions/0010-cohort-optimiser.md). Applicants who look the same to
every rule (same values of the attributes the rules name, same sites in the same order, same
committee choice) form a *class*; within a class only the number chosen matters, and the best
scores go first. The integer program therefore counts per class and site, and each class's
value is the sum of its best scores: a concave function, written as one [0, 1] segment per
applicant. Only the best few of each class get a segment; a last segment stands for all the
others at the score of the best of them, which over-states them, so the model is a relaxation
of the full one. When the optimum uses no such tail it is feasible for the full problem and
therefore optimal for it (HiGHS proves the bound); otherwise the classes that used their tail
get more segments and HiGHS solves again.

No database in the optimiser itself: ``problem`` (the question and the answer's types),
``preparation`` (classes and rows), ``model`` (the aggregated integer program), ``seating``,
``checking``, ``conflicts``, ``explanations``, ``solving`` (``solve``), ``waiting_list``,
``baselines`` (the straightforward model and the greedy fill) and ``milp`` (the layer over
HiGHS). ``data`` turns a call's applications into a problem, ``files`` reads and writes the
committee's spreadsheets, ``services`` holds the committee's writes. Nothing is re-exported
here: import the module you need.
"""
