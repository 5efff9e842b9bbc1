"""The site's addresses: each app's own under its prefix, and the site-wide pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from articles import feeds

from . import embed, views
from .api import docs as api_docs
from .api.views import api
from .kernel import health, preview
from .kernel.requests import bad_request
from .search import views as search_views
from .sitemaps import robots_txt, sitemap

# Visitors' pages, in every language: English unprefixed (today's addresses), Spanish
# under /es/ (exosite/kernel/languages.py).
urlpatterns = i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("glossary/", include("glossary.urls")),
    path("faq/", include("faq.urls")),
    path("", include("trust.urls")),
    path("tags/", views.TagIndexView.as_view(), name="tag-index"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search-suggest"),
    path("feeds/articles/", feeds.ArticlesFeed(), name="feed-articles"),
    path("feeds/articles/atom/", feeds.ArticlesAtomFeed(), name="feed-articles-atom"),
    path("feeds/tags/<slug:slug>/", feeds.TagArticlesFeed(), name="feed-tag"),
    path("feeds/tags/<slug:slug>/atom/", feeds.TagArticlesAtomFeed(), name="feed-tag-atom"),
    prefix_default_language=False,
)
# One address for every language: machines' files, staff pages, the API and the embed.
urlpatterns += [
    # Other sites embed the glossary script, term index and cards; oEmbed hands out cards.
    path("embed/", include("exosite.embed")),
    path("oembed", embed.oembed, name="oembed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("preview/share/<str:token>/", preview.shared_preview, name="preview-share"),
    path("preview/<str:kind>/<int:pk>/", preview.staff_preview, name="preview"),
    # The read API (exosite/api/): its own routes, schema and documentation page.
    path("api/v1/docs/", api_docs.docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, for one).
    path("favicon.ico", views.favicon, name="favicon"),
]

# The site's own 400 page, with no CSRF check to fail on the request it refuses.
handler400 = bad_request

if settings.DEBUG:
    from django.conf.urls.static import static as serve_media

    urlpatterns += serve_media(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
