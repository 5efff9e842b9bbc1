from django.urls import path

from . import views

app_name = "glossary"

urlpatterns = [
    path("", views.TermIndexView.as_view(), name="index"),
    path("glossary.ttl", views.glossary_export, {"fmt": "turtle"}, name="skos-turtle"),
    path("glossary.jsonld", views.glossary_export, {"fmt": "json-ld"}, name="skos-jsonld"),
    path("glossary.json", views.glossary_export, {"fmt": "json"}, name="json"),
    path("<slug:slug>/", views.TermDetailView.as_view(), name="detail"),
]
