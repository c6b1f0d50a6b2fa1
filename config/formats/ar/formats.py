"""Arabic as the programmes' readers write it: Django's Arabic formats give no date-time
format, so a date-time fell back to the American month/day/year ("12/03/2026 7:23 ص" for
3 December). The day comes first here too, with 24-hour times, as in English and French."""

DATE_FORMAT = "j F، Y"  # 3 ديسمبر، 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"  # 03/12/2026, kept in order right to left
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday (Saturday in some countries; the programmes' sites start on Monday)
