from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from exosite.kernel import kinds, languages, linking, paging, ratelimit
from exosite.kernel.csrf import resend_form
from exosite.kernel.parts import for_content
from exosite.kernel.ratelimit import client_id
from exosite.kernel.viewmixins import RedirectOldSlugMixin, translation_urls

from .forms import CommentForm, ProblemForm
from .models import Feedback, Page, Person

FEEDBACK_SALT = "trust.feedback"


class PageView(RedirectOldSlugMixin, DetailView):
    template_name = "trust/page.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published().in_language()

    def get_context_data(self, **kwargs):
        page = self.object
        translations = for_content(f"translations:page:{page.pk}", lambda: translation_urls(page))
        return super().get_context_data(
            body=linking.rendered(page), translations=translations, **kwargs
        )


class PeopleView(ListView):
    template_name = "trust/people.html"
    context_object_name = "people"

    def get_queryset(self):
        return Person.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        languages.people_in(languages.current(), *context["people"])
        return context


# A person's lists, each paged on its own parameter.
LISTS = ("written", "reviewed")


class PersonView(DetailView):
    template_name = "trust/person.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.public()

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        languages.people_in(languages.current(), person)
        return person

    def get_context_data(self, **kwargs):
        person = self.object
        # Each list pages on its own parameter (?written=2, ?reviewed=3), its links keeping
        # the other's page: someone who wrote thousands of articles gets pages, not one.
        numbers = {name: paging.number(self.request.GET.get(name)) for name in LISTS}
        # Read once per content version: counting and ordering a prolific author's
        # articles took tens of milliseconds at 100,000 articles.
        pages = for_content(
            f"person:{person.pk}:{numbers['written']}:{numbers['reviewed']}",
            lambda: self.pages(person, numbers),
            local=True,
        )
        bases = {}
        for name in LISTS:
            others = [(each, n) for each, n in numbers.items() if each != name and n > 1]
            bases[name] = f"?{urlencode([*others, (name, '')])}"
        return super().get_context_data(
            **pages, written_base=bases["written"], reviewed_base=bases["reviewed"], **kwargs
        )

    def pages(self, person, numbers):
        articles = (
            kinds.get("article")
            .model.objects.published()
            .in_language()
            .only("title", "slug", "language", "published_at", "summary")
            .order_by("-published_at", "pk")
        )
        lists = {
            "written": articles.filter(author_profiles=person),
            # Only what the page itself says this person reviewed: this very version.
            "reviewed": articles.filter(reviewer=person, review_current=True),
        }
        pages = {}
        for name, items in lists.items():
            page = paging.page(items, settings.EXOSITE_PERSON_PER_PAGE, numbers[name])
            # What is kept holds the page's rows and the count, not the query.
            pages[name] = paging.held(
                page, page.number, page.paginator.count, page.paginator.per_page
            )
        return pages


def local_page(value):
    """The page a feedback is about: a path on this site, or '/'."""
    value = (value or "/")[:300]
    if not value.startswith("/") or not url_has_allowed_host_and_scheme(value, None):
        return "/"
    return value


VOTES = (Feedback.Kind.HELPFUL, Feedback.Kind.NOT_HELPFUL)


def todays_vote(client, page):
    """This visitor's helpful vote on this page in the last day, if any."""
    since = timezone.now() - timedelta(days=1)
    votes = Feedback.objects.filter(client=client, page=page, kind__in=VOTES)
    return votes.filter(received_at__gte=since).order_by("-received_at").first()


@csrf_exempt  # the form is on every (cacheable) page, so it carries no per-visitor secret;
@require_POST  # it changes nothing of anyone's, and rate limits and dedup keep it honest.
def helpful(request):
    """The site's one 'Was this page helpful?' (every page, FAQ entries too): one vote per
    visitor and page a day, a later answer replacing the earlier; then an optional comment."""
    page = local_page(request.POST.get("page"))
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return redirect(page)
    kind = Feedback.Kind.HELPFUL if answer == "yes" else Feedback.Kind.NOT_HELPFUL
    client = client_id(request)
    # One at a time per visitor, so votes sent at the same moment are one vote.
    with ratelimit.one_at_a_time("feedback", client):
        feedback = todays_vote(client, page)
        if feedback is None:
            if not ratelimit.hit("feedback", client, settings.EXOSITE_FEEDBACK_RATE):
                return render(request, "trust/feedback_limited.html", {"page": page}, status=429)
            feedback = Feedback.objects.create(kind=kind, page=page, client=client)
        elif feedback.kind != kind:
            feedback.kind = kind
            feedback.save(update_fields=["kind"])
    token = signing.dumps(feedback.pk, salt=FEEDBACK_SALT)
    return redirect("trust:feedback-thanks", token=token)


@resend_form(CommentForm)
def feedback_thanks(request, token):
    """After a vote: thank the visitor and let them add a comment (optional)."""
    try:
        pk = signing.loads(token, salt=FEEDBACK_SALT, max_age=86400)
    except signing.BadSignature:
        return redirect("home")
    feedback = get_object_or_404(Feedback, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["comment"]:
            feedback.comment = form.cleaned_data["comment"]
            feedback.save(update_fields=["comment"])
        return render(request, "trust/feedback_done.html", {"page": feedback.page})
    return render(request, "trust/feedback_thanks.html", {"feedback": feedback, "form": form})


@resend_form(ProblemForm, keep=("page",))
def report_problem(request):
    page = local_page(request.GET.get("page") or request.POST.get("page"))
    if request.method != "POST":
        return render(request, "trust/problem.html", {"form": ProblemForm(), "page": page})
    form = ProblemForm(request.POST)
    if form.is_bot:
        return render(request, "trust/feedback_done.html", {"page": page})
    if not form.is_valid():
        return render(request, "trust/problem.html", {"form": form, "page": page}, status=400)
    client = client_id(request)
    # The count and the report stand or fall together (see faq.views.ask).
    with ratelimit.one_at_a_time("feedback", client):
        if not ratelimit.hit("feedback", client, settings.EXOSITE_FEEDBACK_RATE):
            return render(
                request,
                "trust/feedback_limited.html",
                {"page": page, "text": form.cleaned_data["comment"]},
                status=429,
            )
        Feedback.objects.create(
            kind=Feedback.Kind.PROBLEM,
            page=page,
            comment=form.cleaned_data["comment"],
            contact=form.cleaned_data["contact"],
            client=client,
        )
    return render(request, "trust/feedback_done.html", {"page": page, "problem": True})
