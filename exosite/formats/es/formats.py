# Spanish: Django's own formats, which already read naturally ("7 de diciembre de 2026",
# "diciembre de 2026"); named here so that the site's choice is in one place.
from django.conf.locale.es.formats import *  # noqa: F403

DATE_FORMAT = r"j \d\e F \d\e Y"
YEAR_MONTH_FORMAT = r"F \d\e Y"
