"""Dates in English as the United Nations writes them ("10 June 2030"); other languages keep Django's."""

DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y, H:i"
