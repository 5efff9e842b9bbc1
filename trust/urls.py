from django.urls import path

from . import views

app_name = "trust"

urlpatterns = [
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("pages/<slug:slug>/", views.PageView.as_view(), name="page"),
    path("feedback/helpful/", views.helpful, name="helpful"),
    path("feedback/thanks/<str:token>/", views.feedback_thanks, name="feedback-thanks"),
    path("feedback/problem/", views.report_problem, name="problem"),
]
