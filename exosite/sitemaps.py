"""/sitemap.xml (every published page with its last modification) and /robots.txt.

Each content kind with a `sitemap_priority` (exosite.kernel.kinds) contributes its
published items, and its section index page (`index_url`); apps add what is not a kind
(trust: people) through their own sitemaps.py.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from taggit.models import Tag

from exosite.kernel import kinds, languages
from trust.sitemaps import PeopleIndexSitemap, PersonSitemap


def latest_change(model):
    return model.objects.published().aggregate(last=Max("updated_at"))["last"]


class KindSitemap(Sitemap):
    """Every published item of one content kind in every language, with the time it last
    changed and, for an item with published translations, each of them as an hreflang
    alternate (and English as x-default). A translation is its own row with its own
    address, so the alternates come from the rows themselves, not from Django's i18n
    sitemaps (which list one object under every language's prefix)."""

    def __init__(self, kind):
        self.kind = kind
        self.priority = kind.sitemap_priority

    def items(self):
        return (
            self.kind.model.objects.published()
            .only("slug", "updated_at", "language", "translation_of")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        groups = {}
        for url in urls:
            item = url["item"]
            groups.setdefault(item.translation_of_id or item.pk, {})[item.language] = url[
                "location"
            ]
        for url in urls:
            item = url["item"]
            group = groups[item.translation_of_id or item.pk]
            if len(group) > 1:
                url["alternates"] = [
                    {"location": location, "lang_code": code}
                    for code, location in sorted(group.items())
                ]
                if languages.SOURCE in group:
                    url["alternates"].append(
                        {"location": group[languages.SOURCE], "lang_code": "x-default"}
                    )
        return urls


class SectionSitemap(Sitemap):
    """The home page, each kind's index page and the tag index, in every language: they
    change when their content does."""

    priority = 0.7
    i18n = True
    alternates = True
    x_default = True

    def sections(self):
        tagged = kinds.tagged()
        sections = {"home": tagged}
        sections |= {kind.index_url: [kind] for kind in kinds.all() if kind.index_url}
        sections["tag-index"] = tagged
        return sections

    def items(self):
        self._sections = self.sections()
        chosen = {kind.name: kind for each in self._sections.values() for kind in each}
        self._latest = {name: latest_change(kind.model) for name, kind in chosen.items()}
        return list(self._sections)

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        dates = [self._latest[kind.name] for kind in self._sections[name]]
        return max((date for date in dates if date), default=None)


class TagSitemap(Sitemap):
    """Tag pages with something published on them, changed when their latest item was."""

    priority = 0.4

    def items(self):
        latest = {}
        for kind in kinds.tagged():
            rows = kind.model.objects.published().values("tags").annotate(last=Max("updated_at"))
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


def sitemaps():
    """{section name: sitemap} for django.contrib.sitemaps' view, built from the kinds."""
    found = {"sections": SectionSitemap, "people-index": PeopleIndexSitemap}
    found |= {
        kind.name: KindSitemap(kind) for kind in kinds.all() if kind.sitemap_priority is not None
    }
    found |= {"tags": TagSitemap, "people": PersonSitemap}
    return found


def sitemap(request):
    """/sitemap.xml, from the kinds registered now."""
    return sitemap_view(request, sitemaps=sitemaps(), template_name="site/sitemap.xml")


# Kept out of search engines: the admin, staff previews and share links, and internal
# search results (endless, thin pages; they also carry noindex).
DISALLOWED = ("/admin/", "/preview/", "/search/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
