from django.urls import path

from . import views

app_name = "faq"

urlpatterns = [
    path("", views.FaqIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.QuestionDetailView.as_view(), name="detail"),
]
