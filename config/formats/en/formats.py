"""English as the programmes' readers write it: the day before the month, never
month/day/year (12/02/2026 reads as 2 December in most of the world and as 12 February in
the United States), and 24-hour times. The month is a word, so no date is ambiguous."""

DATE_FORMAT = "j F Y"  # 2 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 2 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-02, what date pickers send
    "%d/%m/%Y",  # 02/12/2026
    "%d %b %Y",  # 2 Dec 2026
    "%d %B %Y",  # 2 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
