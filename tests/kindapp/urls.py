"""The site's addresses plus the test kind's: the only URL change a new kind needs."""

from django.urls import include, path

from exosite.urls import urlpatterns as site_urlpatterns

from . import views

notes = ([path("<slug:slug>/", views.NoteDetailView.as_view(), name="detail")], "notes")
urlpatterns = [path("notes/", include(notes)), *site_urlpatterns]
