from django.db import models
from django.urls import reverse

from exosite.models import Publishable, PublishableQuerySet


class Note(Publishable):
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")

    objects = PublishableQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ("title",)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notes:detail", kwargs={"slug": self.slug})
