"""The sitemap's people section: the index of authors and reviewers, and their public
profiles, each changed when its person last was."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Person


class PersonSitemap(Sitemap):
    priority = 0.3

    def items(self):
        return Person.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at


class PeopleIndexSitemap(Sitemap):
    """/people/, changed when any public profile was."""

    priority = 0.7

    def items(self):
        return ["trust:people"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Person.objects.public().aggregate(last=Max("updated_at"))["last"]
