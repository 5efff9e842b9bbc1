from django.urls import path

from . import views

app_name = "faq"

urlpatterns = [
    path("", views.FaqIndexView.as_view(), name="index"),
    path("ask/", views.ask, name="ask"),
    path("ask/thanks/", views.ask_thanks, name="ask-thanks"),
    path("ask/suggest/", views.ask_suggest, name="ask-suggest"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/", views.QuestionDetailView.as_view(), name="detail"),
]
