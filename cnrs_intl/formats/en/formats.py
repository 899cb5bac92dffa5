"""English as a European institution writes it: the day before the month, a 24-hour
clock, weeks from Monday.

Django's "en" is American: its 12/05/2026 is 5 December to a reader in Paris, and it
read "05/12/2026" typed in the admin as 12 May. Dates are typed as in French
(05/12/2026) or as ISO 8601, which the admin's date fields show.
"""

DATE_FORMAT = "j F Y"  # 5 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 5 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 5 December
SHORT_DATE_FORMAT = "d/m/Y"  # 05/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 05/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-05, first: what the date fields show
    "%d/%m/%Y",  # 05/12/2026
    "%d/%m/%y",  # 05/12/26
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
