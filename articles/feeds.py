"""RSS 2.0 and Atom feeds of the published articles: all of them, and per tag.

/feeds/articles/ (RSS) and /feeds/articles/atom/; /feeds/tags/<slug>/ and
/feeds/tags/<slug>/atom/. Pages link them with <link rel="alternate">.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from taggit.models import Tag

from .models import Article

FEED_SIZE = 20


class ArticlesFeed(Feed):
    language = "en-gb"
    description_template = None

    def title(self):
        return f"{settings.SITE_NAME}: latest articles"

    def link(self):
        return reverse("articles:list")

    def description(self):
        return (
            "Evidence-based articles on exosomes and extracellular vesicles in "
            "regenerative medicine."
        )

    subtitle = description  # Atom's name for it

    def articles(self):
        return Article.objects.published().for_listing().order_by("-published_at", "-pk")

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Readers take descriptions as HTML (Atom says so: type="html"); the summary is
        # plain text, so "<" in it must reach them as "&lt;".
        return escape(article.summary)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.authors

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed


class TagArticlesFeed(ArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{settings.SITE_NAME}: articles on {tag.name}"

    def link(self, tag):
        return reverse("tag-detail", args=[tag.slug])

    def description(self, tag):
        return f"New evidence-based articles about {tag.name} on {settings.SITE_NAME}."

    subtitle = description

    def items(self, tag):
        return self.articles().filter(tags=tag)[:FEED_SIZE]


class TagArticlesAtomFeed(TagArticlesFeed):
    feed_type = Atom1Feed
