"""What is counted (per day, or per month once rolled up) and what editors pin to a query.

Nothing here identifies a visitor: a row is a day (or month), an item or a normalised
query, a language, and numbers. No cookie, address, user agent or identifier is read into
any of them (exosite.insight.counting), and the privacy page says so.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAY = "day", _("Day")
    # Daily rows older than EXOSITE_INSIGHT_RETENTION_DAYS, added up per calendar month
    # (`day` is then the month's first day): manage.py insight_rollup.
    MONTH = "month", _("Month")


class ItemDay(models.Model):
    """Page views of one published item (one language: a translation is its own item) on
    one day, and how many of them came from a type-ahead suggestion."""

    day = models.DateField()
    period = models.CharField(max_length=5, choices=Period, default=Period.DAY)
    kind = models.CharField(max_length=40, help_text=_("The content kind's name."))
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    views = models.PositiveIntegerField(default=0)
    picks = models.PositiveIntegerField(
        default=0, help_text=_("Times the item was chosen from type-ahead suggestions.")
    )

    class Meta:
        ordering = ("-day", "kind", "object_id")
        verbose_name = _("page views of an item")
        verbose_name_plural = _("page views of items")
        constraints = [
            models.UniqueConstraint(
                fields=("day", "period", "kind", "object_id", "language"),
                name="insight_itemday_one_row",
            )
        ]
        indexes = [models.Index(fields=("kind", "object_id", "language"))]

    def __str__(self):
        return f"{self.kind}:{self.object_id} ({self.language}) {self.day}: {self.views}"


class SearchDay(models.Model):
    """Searches for one normalised query in one language on one day: how often, how many
    of them found nothing, what the last one found, and how often a result was opened."""

    day = models.DateField()
    period = models.CharField(max_length=5, choices=Period, default=Period.DAY)
    query = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0, help_text=_("Searches that found nothing."))
    results = models.PositiveIntegerField(
        default=0, help_text=_("Results the latest search found.")
    )
    opened = models.PositiveIntegerField(
        default=0, help_text=_("Times a result was opened from the results page.")
    )

    class Meta:
        ordering = ("-day", "query")
        verbose_name = _("searches for a query")
        verbose_name_plural = _("searches for queries")
        constraints = [
            models.UniqueConstraint(
                fields=("day", "period", "query", "language"), name="insight_searchday_one_row"
            )
        ]
        indexes = [models.Index(fields=("query", "language"))]

    def __str__(self):
        return f"“{self.query}” ({self.language}) {self.day}: {self.searches}"


class Promotion(models.Model):
    """An item editors pin to a query: shown first, marked “Recommended”, in search results
    and type-ahead, while it is published (exosite.insight.promotions)."""

    query = models.CharField(
        max_length=200,
        help_text=_(
            "What visitors type. Case, accents and punctuation do not matter: "
            "“Stem-cell clinics?” matches “stem cell clinics”."
        ),
    )
    variants = models.TextField(
        blank=True,
        help_text=_("Other ways of asking for the same thing, one per line (misspellings too)."),
    )
    kind = models.CharField(max_length=40, help_text=_("The pinned item's content kind."))
    object_id = models.BigIntegerField()
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE[:2],
        help_text=_("Searches in this language show it."),
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Where several items are pinned to a query: lower comes first.")
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("query", "position")
        verbose_name = _("promoted result")
        verbose_name_plural = _("promoted results")

    def __str__(self):
        return f"“{self.query}” → {self.kind}:{self.object_id}"

    def clean(self):
        from . import promotions

        if not promotions.normalise(self.query):
            raise ValidationError({"query": _("Type a word or two to pin the item to.")})
        if promotions.item(self.kind, self.object_id) is None:
            raise ValidationError(_("There is no such item to pin."))

    def all_queries(self):
        from . import promotions

        keys = [promotions.normalise(self.query)]
        keys += [promotions.normalise(line) for line in self.variants.splitlines()]
        return [key for key in dict.fromkeys(keys) if key]


class Dashboard(models.Model):
    """No table: the dashboard's place in the admin and its permissions (given to the staff
    groups by exosite.kernel.roles)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = (
            ("reading_dashboard", _("Can see what is read and found helpful")),
            ("searches_dashboard", _("Can see what visitors search for")),
        )
        verbose_name = _("insight dashboard")
        verbose_name_plural = _("insight dashboard")

    def __str__(self):
        return str(self._meta.verbose_name)
