"""/sitemap.xml (every published page with its last modification) and /robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from taggit.models import Tag

from articles.models import Article
from faq.models import Question
from glossary.models import Term
from trust.models import Page, Person


def latest_change(model):
    return model.objects.published().aggregate(last=Max("updated_at"))["last"]


class PublishedSitemap(Sitemap):
    """Every published item of `model`, with the time it last changed."""

    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(PublishedSitemap):
    model = Article
    priority = 0.8


class TermSitemap(PublishedSitemap):
    model = Term
    priority = 0.6


class QuestionSitemap(PublishedSitemap):
    model = Question
    priority = 0.6


class PageSitemap(PublishedSitemap):
    """About, editorial policy, disclaimer and the other policy pages."""

    model = Page
    priority = 0.3


class PersonSitemap(Sitemap):
    """The public profiles of authors and reviewers."""

    priority = 0.3

    def items(self):
        return Person.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at


class SectionSitemap(Sitemap):
    """The home page and the section indexes: they change when their content does."""

    priority = 0.7
    sections = {
        "home": (Article, Term, Question),
        "articles:list": (Article,),
        "glossary:index": (Term,),
        "faq:index": (Question,),
        "tag-index": (Article, Term, Question),
        "trust:people": (Person,),
    }

    def items(self):
        self._latest = {model: latest_change(model) for model in (Article, Term, Question)}
        self._latest[Person] = Person.objects.public().aggregate(last=Max("updated_at"))["last"]
        return list(self.sections)

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        dates = [self._latest[model] for model in self.sections[name] if self._latest[model]]
        return max(dates, default=None)


class TagSitemap(Sitemap):
    """Tag pages with something published on them, changed when their latest item was."""

    priority = 0.4

    def items(self):
        latest = {}
        for model in (Article, Term, Question):
            rows = model.objects.published().values("tags").annotate(last=Max("updated_at"))
            for row in rows:
                if row["tags"] is not None:
                    latest[row["tags"]] = max(row["last"], latest.get(row["tags"], row["last"]))
        tags = list(Tag.objects.filter(pk__in=latest).order_by("slug"))
        for tag in tags:
            tag.last_changed = latest[tag.pk]
        return tags

    def location(self, tag):
        return reverse("tag-detail", args=[tag.slug])

    def lastmod(self, tag):
        return tag.last_changed


SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "glossary": TermSitemap,
    "faq": QuestionSitemap,
    "tags": TagSitemap,
    "pages": PageSitemap,
    "people": PersonSitemap,
}

# Kept out of search engines: the admin, staff previews and share links, and internal
# search results (endless, thin pages; they also carry noindex).
DISALLOWED = ("/admin/", "/preview/", "/search/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
