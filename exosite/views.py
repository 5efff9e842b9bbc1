"""Site-wide pages that no single app owns: home and tags.

The home page picks what it features from the apps by name (it is the site's front
page); tag pages loop over the content kinds (exosite.kernel.kinds), so a new kind is
listed there by registering it.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.generic import TemplateView
from taggit.models import Tag, TaggedItem

from articles.models import Article
from exosite.kernel import kinds
from exosite.kernel.parts import for_content
from exosite.kernel.tags import merged_into, published_tags
from faq.models import Question, Topic
from glossary.models import Term


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


class HomeView(TemplateView):
    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        lists = for_content("home-lists", self.render_lists)
        return super().get_context_data(lists=lists, **kwargs)

    def render_lists(self):
        """Featured and latest articles, recent terms and FAQ topics, as HTML: kept until
        content changes."""
        articles = Article.objects.published().in_language().for_listing()
        featured = list(articles.filter(featured=True)[:3])
        latest = list(articles.exclude(pk__in=[article.pk for article in featured])[:6])
        if len(latest) < 2:
            # A lone "latest" card under a heading of its own looks like a mistake: it
            # joins the featured ones (a small site, or a new one).
            featured, latest = featured + latest, []
        live_questions = Question.objects.published().in_language().filter(topic=OuterRef("pk"))
        context = {
            "featured": featured,
            "latest": latest,
            "recent_terms": Term.objects.published()
            .in_language()
            .for_listing()
            .order_by("-published_at")[:8],
            "topics": Topic.objects.filter(Exists(live_questions)),
        }
        return render_to_string(f"{self.template_name}#lists", context, self.request)


def published_tag_counts():
    """{tag_id: number of published items} over every tagged kind (one query per kind)."""
    counts = {}
    for kind in kinds.tagged():
        rows = (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(kind.model),
                object_id__in=kind.model.objects.published().in_language().values("pk"),
            )
            .values("tag_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["tag_id"]] = counts.get(row["tag_id"], 0) + row["n"]
    return counts


class TagIndexView(TemplateView):
    template_name = "site/tag_index.html"

    def get_context_data(self, **kwargs):
        # Counted and rendered once per content version (a link per tag).
        return super().get_context_data(
            **for_content("tag-index", self.cloud, local=True), **kwargs
        )

    def cloud(self):
        counts = published_tag_counts()
        tags = list(Tag.objects.filter(pk__in=counts).order_by("name"))
        for tag in tags:
            tag.count = counts[tag.pk]
        return {
            "tags": tags,
            "cloud": render_to_string(f"{self.template_name}#cloud", {"tags": tags}),
        }


def tagged_items(tag):
    """(kind position, pk, label) of every published item carrying `tag`, kind by kind in
    registration order (articles, terms, questions), each alphabetically: one query that a
    Paginator can slice."""
    each = [
        kind.model.objects.published()
        .in_language()
        .filter(tags=tag)
        .order_by()
        .annotate(kind=Value(position, output_field=IntegerField()), label=F(kind.title_field))
        .values_list("kind", "pk", "label")
        for position, kind in enumerate(kinds.tagged())
    ]
    return each[0].union(*each[1:], all=True).order_by("kind", "label", "pk")


class TagDetailView(TemplateView):
    """Everything published under a tag, paginated across kinds; a tag that no published
    item carries has no page (its name is not shown, even to say it is empty). The address
    of a tag merged into another leads to the kept tag's page, for good."""

    template_name = "site/tag_detail.html"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            kept = merged_into(self.kwargs["slug"])  # looked for only when there is no page
            if kept is None:
                raise
            return redirect("tag-detail", slug=kept.slug, permanent=True)

    def get_context_data(self, **kwargs):
        slug = self.kwargs["slug"]
        # Kept once found, like a detail page's item: building published_tags()'s query
        # was most of an uncached tag page. An unknown slug is not kept (404).
        tag = for_content(f"tag:{slug}", lambda: get_object_or_404(published_tags(), slug=slug))
        wanted = self.request.GET.get("page", "")
        wanted = wanted if wanted.isdigit() else "1"
        # Each page's items are rendered once per content version: a common tag has
        # thousands of items, and a page of cards costs dozens of template lookups each.
        listing = for_content(f"tag-page:{tag.pk}:{wanted}", lambda: self.listing(tag, wanted))
        page_obj = Paginator(range(listing["count"]), self.paginate_by).get_page(listing["number"])
        return super().get_context_data(tag=tag, page_obj=page_obj, items=listing["html"], **kwargs)

    def listing(self, tag, wanted):
        # The ordered list (sorted by the database once per content version) is shared by
        # all the tag's pages.
        items = for_content(
            f"tag-items:{tag.pk}", lambda: [(kind, pk) for kind, pk, _ in tagged_items(tag)]
        )
        page_obj = Paginator(items, self.paginate_by).get_page(wanted)
        chosen = kinds.tagged()
        ids = {position: [] for position in range(len(chosen))}
        for position, pk in page_obj.object_list:
            ids[position].append(pk)
        sections = [
            (
                kind,
                kind.for_listing().filter(pk__in=ids[position]).order_by(kind.title_field, "pk"),
            )
            for position, kind in enumerate(chosen)
            if ids[position]
        ]
        context = {"sections": sections}
        return {
            "count": len(items),
            "number": page_obj.number,
            "html": render_to_string(f"{self.template_name}#items", context, self.request),
        }
