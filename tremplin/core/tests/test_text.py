from __future__ import annotations

from tremplin.core.text import digits, fold, name_key


def test_fold_removes_case_accents_and_extra_spaces() -> None:
    assert fold("  Éloïse   NGUYỄN ") == "eloise nguyen"
    assert fold("Đặng Thị Lan") == "dang thi lan"
    assert fold("مُحَمَّد") == fold("محمد")


def test_name_key_ignores_word_order_case_and_accents() -> None:
    assert name_key("Thi Lan", "NGUYỄN") == name_key("Nguyen", "thi lan")
    assert name_key("Jean-Marc", "Dupont") == name_key("Jean Marc", "Dupont")


def test_digits() -> None:
    assert digits("+33 6 12-34.56.78") == "33612345678"
