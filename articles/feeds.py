"""RSS 2.0 and Atom feeds of the published articles: all of them, and per tag.

/feeds/articles/ (RSS) and /feeds/articles/atom/; /feeds/tags/<slug>/ and
/feeds/tags/<slug>/atom/. Pages link them with <link rel="alternate">.

The feed classes give plain text (titles, summaries, tag names) and the feed formats
(`Rss`, `Atom`) escape it wherever their element is read as HTML: a tag named
"<img src=x onerror=...>" reaches a reader as those characters, never as markup.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from exosite.kernel import languages
from exosite.kernel.tags import published_tags

from .models import Article

FEED_SIZE = 20


def _html(text):
    return None if text is None else escape(text)


class Rss(Rss201rev2Feed):
    """RSS 2.0 does not say whether titles and descriptions are text or HTML, and readers
    take them as HTML when they look like it (feedparser does): all are escaped."""

    def __init__(self, title, link, description, **kwargs):
        super().__init__(_html(title), link, _html(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(_html(title), link, _html(description), **kwargs)


class Atom(Atom1Feed):
    """Atom says what each element holds: titles and the subtitle are text (written as
    is), an entry's summary is type="html" (escaped)."""

    def add_item(self, title, link, description, **kwargs):
        super().add_item(title, link, _html(description), **kwargs)


class ArticlesFeed(Feed):
    feed_type = Rss
    description_template = None

    @property
    def language(self):
        """The feed's language, the address's: /es/feeds/... lists the Spanish articles."""
        code = languages.current()
        return "en-gb" if code == languages.SOURCE else code

    def title(self):
        return _("%(site_name)s: latest articles") % {"site_name": settings.SITE_NAME}

    def link(self):
        return reverse("articles:list")

    def description(self):
        return _(
            "Evidence-based articles on exosomes and extracellular vesicles in "
            "regenerative medicine."
        )

    subtitle = description  # Atom's name for it

    def articles(self):
        return (
            Article.objects.published()
            .in_language()
            .for_listing()
            .prefetch_related("author_profiles")
            .order_by("-published_at", "-pk")
        )

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary  # plain text: escaped by the feed format (Rss, Atom)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        """The people who wrote it, by name (RSS and Atom carry one author name)."""
        return ", ".join(person.name for person in article.author_profiles.all())

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom


class TagArticlesFeed(ArticlesFeed):
    def get_object(self, request, slug):
        # A tag that no published item carries has no feed (nor page: exosite.views).
        return get_object_or_404(published_tags(), slug=slug)

    def title(self, tag):
        return _("%(site_name)s: articles on %(tag)s") % {
            "site_name": settings.SITE_NAME,
            "tag": tag.name,
        }

    def link(self, tag):
        return reverse("tag-detail", args=[tag.slug])

    def description(self, tag):
        return _("New evidence-based articles about %(tag)s on %(site_name)s.") % {
            "site_name": settings.SITE_NAME,
            "tag": tag.name,
        }

    subtitle = description

    def items(self, tag):
        return self.articles().filter(tags=tag)[:FEED_SIZE]


class TagArticlesAtomFeed(TagArticlesFeed):
    feed_type = Atom
