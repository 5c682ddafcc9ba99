# Django's Dutch formats, but a short date with leading zeros: 03-12-2026, as typed in forms.
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
