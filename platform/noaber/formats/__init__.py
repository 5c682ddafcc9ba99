"""Date and time formats per language (FORMAT_MODULE_PATH): day before month in both, times
on the 24-hour clock, so a date looks the same whatever the member's language."""
