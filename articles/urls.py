from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    # "Cite this page": the article or its references for reference managers.
    path(
        "<slug:slug>/cite.bib", views.citation_file, {"what": "cite", "fmt": "bib"}, name="cite-bib"
    ),
    path(
        "<slug:slug>/cite.ris", views.citation_file, {"what": "cite", "fmt": "ris"}, name="cite-ris"
    ),
    path(
        "<slug:slug>/references.bib",
        views.citation_file,
        {"what": "references", "fmt": "bib"},
        name="references-bib",
    ),
    path(
        "<slug:slug>/references.ris",
        views.citation_file,
        {"what": "references", "fmt": "ris"},
        name="references-ris",
    ),
]
