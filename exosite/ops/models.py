from django.db import models


class ContentVersion(models.Model):
    """One row whose counter the database itself raises on every change to public content.

    Database triggers (installed by `exosite.ops.versions` after every migrate) bump it on
    any insert, update or delete in a content table, whatever made the change: the admin,
    `QuerySet.update()`, `bulk_create`, raw SQL, `loaddata` or another process. The page
    cache keys every page by it. `epoch` is random per row, so a restored or flushed
    database never reuses an old key.
    """

    counter = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"{self.epoch}.{self.counter}"
