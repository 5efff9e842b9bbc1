"""What staff do with a visitor's question: take it, answer it, send it to the FAQ, close
it, erase the visitor's contact details.

The admin's desk (faq/admin.py) and its list actions both come here, and so do the checks
that refuse a step: `answer_problems` and `publish_problems` return {field: [message]}, so
that the change form shows each message next to its field with the text kept, and the list
actions show the same words.

A question is answered in the language it was asked in (`Submission.language`): its
answer links to that language's pages, and the FAQ entry it becomes is in that language,
under a topic in that language.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from exosite.kernel import languages, linking
from exosite.kernel.markdown import MarkdownLimitError, render_markdown
from exosite.kernel.tasks import enqueue_after_commit
from exosite.models import Status

from .models import Question, Submission
from .tasks import email_answer

# How staff see each state of a question. "published" means the answer was sent on to the
# FAQ as an entry, which a reviewer publishes (or not): the visitor's question itself is
# never published.
STATUS_LABELS = {
    Submission.Status.NEW: "New",
    Submission.Status.ANSWERED: "Answered",
    Submission.Status.PUBLISHED: "Sent to the FAQ",
    Submission.Status.REJECTED: "Rejected",
    Submission.Status.SPAM: "Spam",
}
ENTRY_STATES = {Status.DRAFT: "draft", Status.REVIEW: "in review"}


class CannotPublish(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(" ".join(message for found in problems.values() for message in found))


class CannotAnswer(CannotPublish):
    pass


class CannotErase(Exception):
    pass


STILL_OPEN = (
    "This question is still open: answer, reject or mark it as spam before erasing the "
    "visitor's contact details (the answer email needs them)."
)


def status_label(submission):
    """The question's state as staff read it: "Sent to the FAQ (in review)"."""
    label = STATUS_LABELS.get(submission.status, submission.get_status_display())
    entry = submission.faq_question
    if submission.status == Submission.Status.PUBLISHED and entry is not None:
        return f"{label} ({entry_state(entry)})"
    return label


def entry_state(entry):
    """An FAQ entry's state in words: live, scheduled, in review or draft."""
    if entry.status == Status.PUBLISHED:
        return "live" if entry.is_published else "scheduled"
    return ENTRY_STATES.get(entry.status, entry.status)


def workers(including=None):
    """The people who can take a question: active staff allowed to change questions
    (directly, through a group, or as superusers). `including` (a user id) is kept even
    if they no longer qualify, so that a form showing them still saves."""
    can_work = (
        Q(is_superuser=True)
        | Q(
            user_permissions__codename="change_submission",
            user_permissions__content_type__app_label="faq",
        )
        | Q(
            groups__permissions__codename="change_submission",
            groups__permissions__content_type__app_label="faq",
        )
    )
    wanted = Q(is_active=True, is_staff=True) & can_work
    if including:
        wanted |= Q(pk=including)
    User = get_user_model()
    pks = User.objects.filter(wanted).values("pk")
    return User.objects.filter(pk__in=pks).order_by(User.USERNAME_FIELD)


def answer_problems(submission):
    """What stops the answer being sent to the visitor: {field: [message]}.

    Refused as well as shown in the preview: a citation the library does not know would
    reach the visitor as raw "[@key]", and a link that goes nowhere as plain text."""
    text = submission.staff_answer
    if not text.strip():
        return {"staff_answer": ["Write an answer first."]}
    try:
        html = render_markdown(text)
    except MarkdownLimitError as error:
        return {"staff_answer": [str(error)]}
    # As the publication gate checks it (exosite.kernel.review): a link to something
    # scheduled is fine, it links once that goes live.
    rendered = linking.link(html, cites=True, scope="all", language=submission.language)
    if rendered.broken_links or rendered.citation_problems:
        return {
            "staff_answer": [
                "Fix the links and citations of the answer first (see the preview):",
                *rendered.warnings,
            ]
        }
    return {}


def publish_problems(submission):
    """What stops the answer becoming an FAQ entry: {field: [message]}."""
    found = {}
    if not submission.staff_answer.strip():
        found["staff_answer"] = ["Write an answer before sending it to the FAQ."]
    else:
        found.update(answer_problems(submission))
    if submission.topic is None and submission.faq_question is None:
        found["topic"] = ["Choose the FAQ topic to put it under."]
    elif submission.topic is not None and submission.topic.language != submission.language:
        language = languages.names().get(submission.language, submission.language)
        found["topic"] = [
            f"This question was asked in {language}: choose a topic in {language} (its entry "
            "is published in the language it was asked in)."
        ]
    if len(entry_title(submission)) > Question._meta.get_field("question").max_length:
        found["public_question"] = [
            "The visitor's question is longer than an FAQ title may be (300 characters): "
            "write a shorter “question as published”."
        ]
    return found


def entry_title(submission):
    return (submission.public_question or submission.question).strip()


def record_answer(submission, user):
    """Who answered and when, the first time a question is answered or sent to the FAQ."""
    if submission.status in (Submission.Status.ANSWERED, Submission.Status.PUBLISHED) and (
        submission.answered_at is None
    ):
        submission.answered_by = user
        submission.answered_at = timezone.now()


def answer(submission, user):
    """Mark the question answered (one already sent to the FAQ stays so) and save it.
    The caller tells the visitor (`tell_visitor_after_commit`, or the admin's message)."""
    problems = answer_problems(submission)
    if problems:
        raise CannotAnswer(problems)
    if submission.status != Submission.Status.PUBLISHED:
        submission.status = Submission.Status.ANSWERED
    record_answer(submission, user)
    submission.save()


def unique_slug(text, language=languages.SOURCE):
    """A free slug in `language` (slugs are unique within a language)."""
    base = slugify(text)[:80].strip("-") or "question"
    slug, n = base, 2
    while Question.objects.filter(language=language, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def end_of_topic(topic):
    last = Question.objects.filter(topic=topic).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def publish(submission, user, position=None):
    """Send the answer to the FAQ: create the entry it becomes (or update the one it
    already became) in review, for a reviewer to publish through the publication gate
    (exosite.kernel.review). Never publishes by itself.

    A new entry goes at the end of its topic unless `position` is given. An entry that is
    live already stays live only if its text does not change; new text goes to review.
    """
    problems = publish_problems(submission)
    if problems:
        raise CannotPublish(problems)
    title = entry_title(submission)
    question = submission.faq_question
    new = question is None
    if new:
        question = Question(
            slug=unique_slug(title, submission.language),
            topic=submission.topic,
            language=submission.language,
        )
    moved = submission.topic is not None and question.topic_id != submission.topic.pk
    if submission.topic is not None:
        question.topic = submission.topic
    if position is not None:
        question.position = position
    elif new or moved:
        question.position = end_of_topic(question.topic)
    changed = question.question != title or question.answer != submission.staff_answer
    question.question = title
    question.answer = submission.staff_answer
    if new or changed or question.status != Status.PUBLISHED:
        question.status = Status.REVIEW
    question._change_reason = "From a visitor's question, for review"
    question.save()
    tags = list(submission.tags.all())
    if new or tags:
        question.tags.set(tags)
    submission.faq_question = question
    submission.status = Submission.Status.PUBLISHED
    record_answer(submission, user)
    submission.save()
    return question


def close(submission, status):
    submission.status = status
    submission.save()


def erase_contact_details(queryset):
    """Erase the name and email of the closed questions of `queryset` now, as the
    `erase_contact_details` command does after the retention period. Returns how many."""
    return queryset.erasable(days=0).update(
        name="", email="", consent=False, contact_erased_at=timezone.now()
    )


def erase_contact(submission):
    """Erase one question's contact details now; refused while it is open."""
    if submission.status not in Submission.CLOSED:
        raise CannotErase(STILL_OPEN)
    erase_contact_details(Submission.objects.filter(pk=submission.pk))
    submission.refresh_from_db()


def tell_visitor_after_commit(submission, then=None):
    """Email the visitor once the change is committed (a rollback sends nothing): a task,
    run by the worker in production. `then(result)` is called with the task's result once
    it is enqueued."""
    if submission.needs_notification:
        enqueue_after_commit(email_answer, submission.pk, then=then)
