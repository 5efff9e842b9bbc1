"""Emails about visitor questions: to staff when one arrives, to the visitor when it is
answered. Plain text with an HTML alternative, through Django's configured mailer.

Both are sent by tasks (faq/tasks.py): by the worker in production, with retries. Each is
sent once: the submission records that it was sent (`staff_notified_at`, `notified_at`),
and a sender first claims the submission with a conditional update, so a retry after a
success, a second task or `send_notifications` running at the same time sends nothing.
A failure to send is recorded on the submission (shown in the admin) and retried by the
task, the `send_notifications` command or the admin's "Email the visitor again" action.

Languages: the answer goes out in the language the visitor asked in
(`Submission.language`, from the address of the form): its subject and words, the links of
the answer to that language's pages, the FAQ entry's and the site's addresses. The email to
staff is in the site's source language, like the admin they work in, and says which
language the visitor wrote in. Both are rendered under `translation.override`, whatever
language the worker (or the request that ran the task at once) has active.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mail_managers
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from exosite.kernel import citations, languages, linking
from exosite.kernel.markdown import render_markdown
from exosite.kernel.text import safe_url

from .models import Submission

logger = logging.getLogger(__name__)


def absolute(path):
    return f"{settings.EXOSITE_BASE_URL}{path}"


def notify_staff(submission):
    """Tell the managers (DJANGO_MANAGERS) that a question arrived, once. Returns True if
    this call sent it; raises if the mail could not be sent (the task retries it; the
    question is saved and the queue shows it either way)."""
    if not settings.MANAGERS:
        return False
    claimed = Submission.objects.filter(pk=submission.pk, staff_notified_at__isnull=True).update(
        staff_notified_at=timezone.now()
    )
    if not claimed:
        return False  # sent already, or being sent by another worker
    context = {
        "submission": submission,
        "admin_url": absolute(reverse("admin:faq_submission_change", args=[submission.pk])),
        "language_name": languages.names().get(submission.language, submission.language),
    }
    try:
        with translation.override(languages.SOURCE):  # staff read the admin's language
            subject = gettext("New visitor question")
            text = render_to_string("faq/email/staff_new.txt", context)
            html = render_to_string("faq/email/staff_new.html", context)
        mail_managers(subject, text, html_message=html)
    except Exception:
        Submission.objects.filter(pk=submission.pk).update(staff_notified_at=None)
        raise
    return True


# The answer as an email: the site's pipeline, then made to stand on its own ---------------


@dataclass
class AnswerEmail:
    text: str
    html: str


@dataclass(frozen=True)
class EmailReference:
    number: int
    citation: str
    url: str
    label: str


URL_ATTRIBUTE_RE = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
# Links within the text (citation numbers, footnotes): mail programs drop the ids they
# point to, so the number stays and the link goes.
FRAGMENT_LINK_RE = re.compile(r'<a\b[^>]*\shref="#[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
BACKREF_RE = re.compile(r'\s*<a class="footnote-backref"[^>]*>.*?</a>', re.DOTALL)
HIDDEN_RE = re.compile(r'<span class="visually-hidden">[^<]*</span>')
# Left as typed when the library does not know them (the desk refuses to send those, but a
# reference can be removed from the library before a retry).
LEFT_CITATION_RE = re.compile(r"\s?" + citations.CITE_RE.pattern)


def answer_email(submission):
    """Both parts of the answer email, from the answer's Markdown through the site's
    pipeline: cross-links and citations resolved as on the site (to the pages in the
    language asked), every link absolute to EXOSITE_BASE_URL, the cited references
    listed; no glossary auto-links (a plain-text email would carry an address after every
    term). Call it with the visitor's language active (`notify_visitor` does)."""
    html = render_markdown(submission.staff_answer)
    rendered = linking.link(
        html, cites=True, autolink=False, scope="live", language=submission.language
    )
    answer_html = email_html(rendered.html)
    references = [
        email_reference(entry.number, entry.reference) for entry in citations.listed(rendered)
    ]
    question = submission.faq_question
    context = {
        "submission": submission,
        "answer_html": answer_html,
        "answer_text": html_to_text(answer_html),
        "references": references,
        # Only what is true: a link to the entry once it is live; until then, that it
        # waits for review (it may never be published).
        "entry_url": absolute(question.get_absolute_url())
        if question and question.is_published
        else "",
        "entry_in_review": bool(question and not question.is_published),
        "site_url": absolute(languages.reverse("home", submission.language)),
        "retention_days": settings.EXOSITE_CONTACT_RETENTION_DAYS,
    }
    return AnswerEmail(
        text=render_to_string("faq/email/visitor_answer.txt", context),
        html=render_to_string("faq/email/visitor_answer.html", context),
    )


def email_html(html):
    """Linked HTML made for an email: site addresses absolute, in-page links unwrapped,
    screen-reader-only words dropped (a mail program shows them), leftover citations gone."""
    html = URL_ATTRIBUTE_RE.sub(lambda m: f'{m[1]}{absolute(m[2])}"', html)
    html = FRAGMENT_LINK_RE.sub(r"\1", BACKREF_RE.sub("", html))
    html = HIDDEN_RE.sub("", html)
    return LEFT_CITATION_RE.sub("", html)


def email_reference(number, reference):
    url = safe_url(reference.link)
    if reference.doi:
        label = f"doi:{reference.doi}"
    elif reference.pmid:
        label = f"PubMed {reference.pmid}"
    else:
        label = url
    return EmailReference(number, reference.citation, url, label)


def html_to_text(html):
    """Plain text of (sanitised, linked) HTML for an email: paragraphs apart, list items
    marked, and each link's address after its text in parentheses."""
    writer = _PlainText()
    writer.feed(html)
    writer.close()
    return writer.text()


class _PlainText(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "pre", "table", "figure"}
    )
    SPACE_RE = re.compile(r"\s+")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []  # text, or an int: at least that many line breaks here
        self.lists = []  # [tag, next number]
        self.opened = []  # (tag, token index, href) of <a>, <sup>, <blockquote>
        self.pre = 0
        self.cells = 0
        self.marker = -1  # the index of the last list marker

    def text(self):
        out, pending = [], 0
        for token in self.tokens:
            if isinstance(token, int):
                pending = max(pending, token)
                continue
            if not token:
                continue
            if out and pending:
                out.append("\n" * pending)
            elif not out:
                token = token.lstrip(" ")
            pending = 0
            out.append(token)
        lines = "".join(out).split("\n")
        return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"

    def _break(self, lines):
        if self.tokens and len(self.tokens) - 1 == self.marker:
            return  # a paragraph inside a list item starts on the marker's line
        self.tokens.append(lines)

    def _text_since(self, index):
        return "".join(t for t in self.tokens[index:] if isinstance(t, str))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self._break(1 if tag in ("ul", "ol") and self.lists else 2)
        if tag in ("ul", "ol"):
            self.lists.append([tag, int(attrs.get("start") or 1)])
        elif tag == "li":
            self._break(1)
            marker = "-"
            if self.lists and self.lists[-1][0] == "ol":
                number = int(attrs.get("value") or self.lists[-1][1])
                marker, self.lists[-1][1] = f"{number}.", number + 1
            self.tokens.append("  " * max(len(self.lists) - 1, 0) + marker + " ")
            self.marker = len(self.tokens) - 1
        elif tag == "br":
            self._break(1)
        elif tag == "hr":
            self._break(2)
            self.tokens.append("----")
            self._break(2)
        elif tag == "pre":
            self.pre += 1
        elif tag == "tr":
            self._break(1)
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                while self.tokens and self.tokens[-1] == " ":
                    self.tokens.pop()
                self.tokens.append(" | ")
            self.cells += 1
        elif tag == "img" and attrs.get("alt"):
            self.tokens.append(attrs["alt"])
        elif tag in ("a", "sup", "blockquote"):
            if tag == "blockquote":
                self._break(2)
            self.opened.append((tag, len(self.tokens), attrs.get("href") or ""))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag == "li":
            self._break(2 if tag in self.BLOCKS else 1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag in ("a", "sup", "blockquote") and self.opened and self.opened[-1][0] == tag:
            _, start, href = self.opened.pop()
            getattr(self, f"_end_{tag}")(start, href)

    def _end_a(self, start, href):
        text = self._text_since(start).strip()
        url = href
        if href.startswith("/") and not href.startswith("//"):
            url = absolute(href)
        elif href.startswith("mailto:"):
            url = href.removeprefix("mailto:")
        elif not safe_url(href):
            return
        if url and url != text:
            self.tokens.append(f" ({url})")

    def _end_sup(self, start, href):
        if not self._text_since(start).startswith("["):  # footnote numbers
            self.tokens.insert(start, "[")
            self.tokens.append("]")

    def _end_blockquote(self, start, href):
        quoted = _PlainText.join(self.tokens[start:])
        self.tokens[start:] = [
            "\n".join(f"> {line}".rstrip() for line in quoted.strip("\n").split("\n")),
            2,
        ]

    @staticmethod
    def join(tokens):
        writer = _PlainText()
        writer.tokens = list(tokens)
        return writer.text()

    def handle_data(self, data):
        if not self.pre:
            data = self.SPACE_RE.sub(" ", data)
            last = next((t for t in reversed(self.tokens) if t != ""), None)
            if last is None or isinstance(last, int) or last.endswith((" ", "\n")):
                data = data.lstrip(" ")
        if data:
            self.tokens.append(data)


class Outcome:
    SENT = "sent"
    FAILED = "failed"
    NOTHING = "nothing to send"  # not wanted, sent already, or being sent elsewhere


# How long a claim to be sending an answer email holds: a sender that died mid-send (its
# worker killed) stops blocking a retry after this.
SENDING_LEASE = timedelta(minutes=15)


def notify_visitor(submission):
    """Email the visitor the answer, once. Returns an `Outcome`; a failure is recorded on
    the submission (`notify_error`)."""
    if not submission.needs_notification:
        return Outcome.NOTHING
    with translation.override(submission.language):  # in the language asked
        email = answer_email(submission)
        subject = gettext("Your question to Exosite has been answered")
    message = EmailMultiAlternatives(subject=subject, body=email.text, to=[submission.email])
    message.attach_alternative(email.html, "text/html")
    now = timezone.now()
    # Claim the sending: of two senders (a retry, the worker and send_notifications), only
    # one finds the row unsent and unclaimed.
    claimed = (
        Submission.objects.filter(pk=submission.pk, notified_at__isnull=True)
        .filter(
            Q(notify_sending_since__isnull=True) | Q(notify_sending_since__lt=now - SENDING_LEASE)
        )
        .update(notify_sending_since=now, notify_attempts=F("notify_attempts") + 1)
    )
    if not claimed:
        return Outcome.NOTHING
    try:
        message.send()
    except Exception as error:
        logger.warning("Could not email the answer to submission %s: %s", submission.pk, error)
        submission.notify_error = f"{timezone.now():%Y-%m-%d %H:%M} {type(error).__name__}: {error}"
        Submission.objects.filter(pk=submission.pk).update(
            notify_error=submission.notify_error, notify_sending_since=None
        )
        return Outcome.FAILED
    submission.notified_at = timezone.now()
    submission.notify_error = ""
    Submission.objects.filter(pk=submission.pk).update(
        notified_at=submission.notified_at, notify_error="", notify_sending_since=None
    )
    return Outcome.SENT


def send_pending():
    """Retry every answered question whose visitor has not been told yet: (sent, failed)."""
    sent = failed = 0
    pending = Submission.objects.filter(
        consent=True,
        notified_at__isnull=True,
        status__in=(Submission.Status.ANSWERED, Submission.Status.PUBLISHED),
    ).exclude(email="")
    for submission in pending.select_related("faq_question"):
        outcome = notify_visitor(submission)
        sent += outcome == Outcome.SENT
        failed += outcome == Outcome.FAILED
    return sent, failed
