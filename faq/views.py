from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from exosite.kernel import (
    citations,
    kinds,
    languages,
    linking,
    mentions,
    paging,
    ratelimit,
    structured_data,
)
from exosite.kernel.csrf import resend_form
from exosite.kernel.parts import for_content
from exosite.kernel.ratelimit import client_id
from exosite.kernel.tasks import enqueue_after_commit
from exosite.kernel.viewmixins import KeptObjectMixin, RedirectOldSlugMixin
from exosite.templatetags.seo import breadcrumbs_payload, json_payload

from .forms import AskForm
from .models import Question, Submission
from .suggestions import suggest
from .tasks import email_staff_new_question


class FaqIndexView(TemplateView):
    """Published questions grouped by topic, each answer with its references; topics with
    nothing published are hidden. Up to EXOSITE_FAQ_PER_PAGE entries on a page (more go
    on ?page=2, ...), the topics' list linking to the page each starts on.

    What a page shows is made once per content version and kept (linking every answer
    took 0.1 s for 100 entries); only the JSON-LD's nonce is per request."""

    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        number = paging.number(self.request.GET.get("page"))
        origin = f"{self.request.scheme}://{self.request.get_host()}"
        parts = for_content(f"faq-index:{number}:{origin}", lambda: self.parts(number), local=True)
        return super().get_context_data(**parts, **kwargs)

    def parts(self, number):
        request = self.request
        order = ("topic__position", "topic__name", "topic_id", "position", "question", "pk")
        listed = list(
            Question.objects.published()
            .in_language()
            .order_by(*order)
            .values_list("pk", "topic_id", "topic__name", "topic__slug")
        )
        per_page = settings.EXOSITE_FAQ_PER_PAGE
        # Over positions, not the list: what is kept holds one page, not every entry.
        page_obj = paging.page(range(len(listed)), per_page, number)
        # The topics' list: each topic links to the page where its questions start.
        toc = {}
        for position, (_, topic_id, name, slug) in enumerate(listed):
            if topic_id not in toc:
                page = position // per_page + 1
                href = "" if page == number else f"?page={page}" if page > 1 else request.path
                toc[topic_id] = (name, f"{href}#{slug}")
        chosen = [listed[position][0] for position in page_obj.object_list]
        questions = Question.objects.filter(pk__in=chosen).select_related("topic").in_bulk()
        questions = [questions[pk] for pk in chosen]
        answers = linking.link_many(
            [(question.answer_html, linking.options_for(question)) for question in questions]
        )
        lists = citations.listed_many(answers)
        groups = {}
        for question, answer, references in zip(questions, answers, lists, strict=True):
            # Every answer is on the page: each numbers its own references, so each gets
            # its own anchors (q<pk>-cite-1 …) and reference list.
            prefix = f"q{question.pk}-"
            question.shown_answer = citations.scope_anchors(answer.html, prefix)
            question.anchor_prefix, question.answer_references = prefix, references
            groups.setdefault(question.topic_id, []).append(question)
        sections = [(shown[0].topic, shown) for shown in groups.values()]
        return {
            "toc": list(toc.values()),
            "sections": render_to_string(
                "faq/faq_sections.html", {"sections": sections, "page_obj": page_obj}
            ),
            "structured_data": json_payload(structured_data.faq_page(request, questions)),
            "breadcrumbs": breadcrumbs_payload(request, request.path, gettext("FAQ")),
            "page_obj": page_obj,
            "page_base": "?page=",
        }


class QuestionDetailView(RedirectOldSlugMixin, KeptObjectMixin, DetailView):
    """An FAQ entry. What depends only on the entry and the content around it (its linked
    answer, references, related reading, tags, more in its topic, JSON-LD data) is
    rendered once per live content version and kept (exosite.kernel.parts.for_content):
    a view then costs the entry's row and the page around it (the site's feedback widget,
    base.html). Previews render it afresh."""

    template_name = "faq/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        return Question.objects.published().select_related("topic", "reviewer")

    def parts(self, question):
        languages.people_in(question.language, question.reviewer)
        answer = linking.rendered(question)
        context = {
            "question": question,
            "answer": answer,
            "references": citations.listed(answer),
            "related_terms": [],
            "related_articles": [],
            "tags": [],
            "more_in_topic": [],
        }
        if question.pk is not None:
            context |= {
                "related_terms": list(
                    mentions.related(question, kinds.get("glossary").model).only(
                        "name", "slug", "language"
                    )
                ),
                "related_articles": list(
                    mentions.related(question, kinds.get("article").model).only(
                        "title", "slug", "language"
                    )
                ),
                "tags": list(question.tags.all()),
                "more_in_topic": list(
                    Question.objects.published()
                    .filter(topic_id=question.topic_id)
                    .exclude(pk=question.pk)
                    .only("question", "slug", "language")[:5]
                ),
            }
        template = self.template_name
        return {
            "answer": render_to_string(f"{template}#answer", context, self.request),
            "around": render_to_string(f"{template}#around", context, self.request),
            "structured_data": json_payload(structured_data.faq_page(self.request, [question])),
            "breadcrumbs": breadcrumbs_payload(
                self.request,
                question.get_absolute_url(),
                gettext("FAQ"),
                "faq:index",
                question.question,
            ),
        }


@resend_form(AskForm)
def ask(request):
    """The ask form. Every refusal keeps what the visitor typed and says why."""
    if request.method != "POST":
        return render(request, "faq/ask.html", {"form": AskForm(), **ask_context()})
    form = AskForm(request.POST)
    if form.is_bot:
        # Honeypot filled: answer like a success so that bots learn nothing; store nothing.
        return redirect("faq:ask-thanks")
    if not form.is_valid():
        return render(request, "faq/ask.html", {"form": form, **ask_context()}, status=400)
    data = form.cleaned_data
    client = client_id(request)
    fingerprint = Submission.make_fingerprint(data["question"])
    # One transaction: the duplicate check, the rate-limit count and the stored question
    # stand or fall together (a question that fails to save does not use up the limit),
    # and this visitor's questions go through it one at a time, so that questions sent at
    # the same moment cannot all pass the checks before any is stored.
    with ratelimit.one_at_a_time("ask", client):
        duplicate = Submission.objects.filter(
            client=client,
            fingerprint=fingerprint,
            received_at__gte=timezone.now() - timedelta(days=1),
        ).exists()
        if duplicate:
            return redirect(f"{reverse('faq:ask-thanks')}?already=1")
        if not ratelimit.hit("ask", client, settings.EXOSITE_ASK_RATE):
            return render(
                request, "faq/ask_limited.html", {"form": form, **ask_context()}, status=429
            )
        submission = Submission.objects.create(
            question=data["question"],
            name=data["name"],
            email=data["email"] if data["consent"] else "",
            consent=data["consent"],
            client=client,
            # Asked at /es/faq/ask/: answered in Spanish, and its FAQ entry Spanish.
            language=languages.current(),
        )
        enqueue_after_commit(email_staff_new_question, submission.pk)
    return redirect("faq:ask-thanks")


def ask_context():
    return {
        "retention_days": settings.EXOSITE_CONTACT_RETENTION_DAYS,
        "max_length": settings.EXOSITE_QUESTION_MAX_LENGTH,
    }


def ask_thanks(request):
    return render(request, "faq/ask_thanks.html", {"already": "already" in request.GET})


def ask_suggest(request):
    """JSON for 'look before you ask': up to five entries that may already answer."""
    text = request.GET.get("q", "")[:500]
    return JsonResponse({"results": suggest(text)})


@csrf_exempt  # a page open from before votes joined the site's one feedback widget
@require_POST  # posts here: it lands on the entry, whose widget takes the vote.
def vote(request, slug):
    return redirect(get_object_or_404(Question.objects.published().in_language(), slug=slug))
