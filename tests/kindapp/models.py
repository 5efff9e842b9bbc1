from django.db import models

from exosite.models import Publishable, PublishableQuerySet, per_language


class Note(Publishable):
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")

    objects = PublishableQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ("title",)
        constraints = per_language("slug")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url_in_language("notes:detail", kwargs={"slug": self.slug})
