"""The registry of content kinds: each app declares its kinds once, and every site-wide
feature loops over what was declared.

An app subclasses `ContentKind` for each kind of content it publishes (articles, glossary
terms, FAQ entries, policy pages) and registers an instance in `AppConfig.ready`:

    class ArticleKind(ContentKind):
        name = "article"                  # one name, used everywhere (see below)
        model = Article
        html_field = "body_html"
        detail_view = "articles.views.ArticleDetailView"
        ...

    kinds.register(ArticleKind())

The kind's `name` is the only name it goes by: the cross-link prefix (`[[article:slug]]`),
the preview address (`/preview/article/<pk>/`), the search filter (`?kind=article`), the
search index's `kind` column and the label in backups. What each site-wide feature needs
is an attribute or a method here, with a default that suits most kinds:

- linking (`exosite.kernel.linking`): `resolve`, `version`, `link_options`, `html_field`;
- mentions and backlinks (`exosite.kernel.mentions`);
- previews (`exosite.kernel.preview`): `detail_view`;
- search (`exosite.search.documents`): `search_document`, `search_joins`, `search_watch`;
  suggestions (`exosite.search.answers`): `expansions`;
- tag pages and tag counts (`exosite.views`): `tagged`, `list_template`, `for_listing`;
- the sitemap (`exosite.sitemaps`): `sitemap_priority`, `index_url`;
- the content-health panel (`exosite.templatetags.editorial`): `health_rows`;
- backup and restore: every registered kind's model is guarded on restore.

The kernel imports no app: it only ever sees the kinds apps give it.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from exosite.models import SlugRedirect, Status
from exosite.ops import versions

from . import languages, memo

# kind name -> (live content version, that kind's link version)
_link_versions = memo.Memo("link version of each kind", size=64)


@dataclass(frozen=True)
class Expansion:
    """Names that stand for one thing (a term's name, aliases, abbreviation) and the names
    of related things: what a search for any of `names` may also look for."""

    names: tuple[str, ...]
    # Matched exactly as written ("MSC", never "msc"), like auto-linking's abbreviations.
    abbreviations: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """Something a cross-link can point to. `live` is False for a scheduled item, which
    links only once its time has come."""

    key: str  # "kind:slug", e.g. "glossary:dendritic-cell"
    url: str
    title: str
    live: bool = True


class ContentKind:
    """One kind of published content (a `Publishable` model with a slug)."""

    name = ""
    model = None
    # How visitors see the kind named, one and many ("Glossary term", "Glossary terms");
    # the model's verbose names by default.
    label = ""
    plural = ""
    # The field a link to an item shows, and the stored HTML its own links are made from.
    title_field = "title"
    html_field = ""
    # Further stored HTML of the item, shown on its page and linked like `html_field` (a
    # term's technical definition): its links and citations count as the item's own.
    extra_html_fields = ()
    # Dotted path of the public detail view: previews render drafts through it.
    detail_view = ""
    # URL name of the section's index page (for the sitemap's section entries).
    index_url = ""
    # Tag pages: listed there (in registration order), each page of items rendered by
    # `list_template` with `items`.
    tagged = True
    list_template = ""
    # Search: related rows to fetch with each item; models whose change re-indexes the
    # items pointing at them ({Topic: "topic"}: a renamed topic re-indexes its questions).
    searchable = True
    search_joins = ()
    search_watch = {}
    # In the sitemap with this priority (None: left out).
    sitemap_priority = None
    # Finds terms by name ([[Dendritic cells]]) and auto-links them: the glossary.
    names_terms = False
    # Cites references from the library as [@key] (exosite.kernel.citations).
    cites = False
    # Dotted path of its spreadsheet import and export (exosite.kernel.importing
    # ContentResource), for `manage.py import_content <name> FILE`; "" for none.
    import_resource = ""

    def __repr__(self):
        return f"<ContentKind {self.name}>"

    @property
    def singular_label(self):
        # str(): a kind's label may be a lazy translation, read in the active language.
        return str(self.label or self.model._meta.verbose_name.capitalize())

    @property
    def plural_label(self):
        return str(self.plural or self.model._meta.verbose_name_plural.capitalize())

    def title(self, obj):
        return getattr(obj, self.title_field)

    # -- what visitors can reach ---------------------------------------------------------

    def queryset(self, scope="live", language=None):
        """ "live": what visitors see now; "all": also what is scheduled to go live. In one
        language (its code), or in every language (None)."""
        manager = self.model.objects
        items = manager.published() if scope == "live" else manager.filter(status=Status.PUBLISHED)
        return items if language is None else items.filter(language=language)

    def for_listing(self, language=None):
        """Published items as lists show them (tag pages), in `language` (the active one
        by default)."""
        objects = self.model.objects.published().in_language(language)
        return objects.for_listing() if hasattr(objects, "for_listing") else objects

    def get_detail_view(self):
        return import_string(self.detail_view)

    # -- linking -------------------------------------------------------------------------

    def version(self):
        """Anything that changes whenever a link to this kind could render differently.
        Asked on every page that links, so it is kept for each live version of the
        content (exosite.ops.versions.live: one primary-key read), and worked out again
        (one query over the table) only when that changes. Inside a transaction, or on a
        database without content-version triggers, it is worked out every time."""
        connection = connections[self.model.objects.db]
        if connection.in_atomic_block or not versions.supported():
            return self.count_version()
        live = versions.live()
        known = _link_versions.get(self.name)
        if known is not None and known[0] == live:
            return known[1]
        value = self.count_version()
        _link_versions.set(self.name, (live, value))
        return value

    def count_version(self):
        row = self.model.objects.aggregate(
            live=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__lte=timezone.now())),
            total=Count("pk"),
            changed=Max("updated_at"),
        )
        return (row["live"], row["total"], row["changed"].isoformat() if row["changed"] else "")

    def key(self, obj):
        return f"{self.name}:{obj.slug}"

    def target(self, obj, now=None):
        now = now or timezone.now()
        return Target(
            key=self.key(obj),
            url=obj.get_absolute_url(),
            title=self.title(obj),
            live=obj.published_at is not None and obj.published_at <= now,
        )

    def resolve(self, slugs, scope="live", language=languages.SOURCE):
        """{slug: Target} for the published items in `language` among `slugs` (old slugs
        included): a Spanish page's [[glossary:exosoma]] finds the Spanish term."""
        items = {obj.slug: obj for obj in self.queryset(scope, language).filter(slug__in=slugs)}
        moved = set(slugs) - set(items)
        if moved:  # old addresses keep working (see SlugRedirect)
            redirects = dict(
                SlugRedirect.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    language=language,
                    old_slug__in=moved,
                ).values_list("old_slug", "object_id")
            )
            current = self.queryset(scope, language).in_bulk(redirects.values())
            for old, pk in redirects.items():
                if pk in current:
                    items[old] = current[pk]
        now = timezone.now()
        return {slug: self.target(obj, now) for slug, obj in items.items()}

    def link_options(self, obj):
        """Keyword arguments for `exosite.kernel.linking.link` when linking `obj`'s own
        HTML (its figures, whether to auto-link); `cites` is added from the kind."""
        return {}

    # -- revisions (exosite.kernel.revisions) -----------------------------------------

    def revision_related(self, obj, references=()):
        """What a revision keeps besides the item's own row: {part: [line, ...]}, each
        line one tag, figure or reference as compare shows it. `references` are the
        library records the item cites, in their order."""
        snapshot = {"Tags": sorted(tag.name for tag in obj.tags.all())}
        if self.cites:
            snapshot["References"] = [
                f"[{number}] @{reference.key}: {reference.citation}"
                for number, reference in enumerate(references, 1)
            ]
        return snapshot

    def restore_related(self, obj, snapshot):
        """Put back what `revision_related` kept (revert). References follow the text."""
        if "Tags" in snapshot:
            obj.tags.set(snapshot["Tags"])

    # -- search --------------------------------------------------------------------------

    def search_document(self, obj):
        """The searched text of `obj`: {"title", "keywords", "summary", "body",
        "exact_names", "extra_tags"}; "title" is required, the rest optional."""
        raise NotImplementedError(f"{type(self).__name__} does not say what search indexes")

    def expansions(self, language=None):
        """Synonyms and related names (`Expansion`s) that suggestions use to widen what a
        visitor typed ("Alzheimer's" also finds "dementia"): the glossary's, in `language`
        (the active one by default). The same object is returned until the kind's content
        changes."""
        return ()

    # -- the admin's content-health panel ---------------------------------------------------

    def health_rows(self, objects, today):
        """[(count, label, changelist query)] for the admin index's health panel: the label
        follows the count ("1 article awaiting review", "No articles ..."), and the query
        gives a list of exactly the items counted."""
        review = objects.filter(status=Status.REVIEW).count()
        broken = objects.filter(broken_links__gt=0).count()
        return [
            (review, f"{self.admin_name(review)} awaiting review", "status__exact=review"),
            (broken, f"{self.admin_name(broken)} with broken cross-links", "problems=links"),
        ]

    def admin_name(self, count):
        """The model's name in the admin for `count` items: "article", "articles"."""
        meta = self.model._meta
        return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)

    def other_health_rows(self, user):
        """[(count, label, url)] about things of the kind's app that are not items of the
        kind (visitors' feedback on pages), each checked against `user`'s permissions."""
        return []


_kinds: dict[str, ContentKind] = {}
_by_model: dict[type, ContentKind] = {}


def register(kind):
    """Declare a kind (from the app's `AppConfig.ready`). Registering the same name again
    replaces the earlier declaration (an app reloaded in tests)."""
    if not kind.name or kind.model is None:
        raise ValueError(f"{kind!r} needs a name and a model")
    old = _kinds.get(kind.name)
    if old is not None:
        _by_model.pop(old.model, None)
    _kinds[kind.name] = kind
    _by_model[kind.model] = kind
    # Every table of an app with content kinds feeds public pages (the page cache's key).
    versions.watch_app(kind.model._meta.app_label)
    return kind


def unregister(name):
    kind = _kinds.pop(name, None)
    if kind is not None:
        _by_model.pop(kind.model, None)


def get(name):
    """The kind called `name`; LookupError if there is none."""
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No content kind is called {name!r}") from None


def all():
    """Every registered kind, in registration order (INSTALLED_APPS order)."""
    return list(_kinds.values())


def tagged():
    """The kinds that share the tag vocabulary (tag pages, tag counts, feeds by tag)."""
    return [kind for kind in _kinds.values() if kind.tagged]


def searchable():
    """The kinds site search indexes."""
    return [kind for kind in _kinds.values() if kind.searchable]


def names():
    return list(_kinds)


def for_model(model):
    """The kind of `model`, or None."""
    return _by_model.get(model)


def of(obj):
    """The kind of `obj`; LookupError if its model is not a registered kind."""
    kind = _by_model.get(type(obj))
    if kind is None:
        raise LookupError(f"{type(obj).__name__} is not a registered content kind")
    return kind


def glossary():
    """The kind that finds terms by name and auto-links them, if any."""
    return next((kind for kind in _kinds.values() if kind.names_terms), None)


def versions_of(names=None):
    """The link version of the given kinds (all by default), in a stable order."""
    chosen = sorted(_kinds if names is None else set(names) & set(_kinds))
    return tuple((name, _kinds[name].version()) for name in chosen)
