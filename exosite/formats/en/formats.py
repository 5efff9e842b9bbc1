# British English, as the site has always written it: Django's en_GB formats (day first, the
# admin's d/m/Y date input) with the month in full ("7 December 2026", "December 2026").
from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
