"""English formats for an audience in France: day before month, 24-hour clock (Django's `en` is US-style)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
