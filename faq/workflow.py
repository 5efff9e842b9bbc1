"""What staff do with a visitor's question: answer it, publish it, close it."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from exosite.models import Status

from .models import Question, Submission
from .notifications import notify_visitor


class CannotPublish(Exception):
    pass


def record_answer(submission, user):
    """Who answered and when, the first time a question is answered or published."""
    if submission.status in (Submission.Status.ANSWERED, Submission.Status.PUBLISHED) and (
        submission.answered_at is None
    ):
        submission.answered_by = user
        submission.answered_at = timezone.now()


def unique_slug(text):
    base = slugify(text)[:80].strip("-") or "question"
    slug, n = base, 2
    while Question.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def publish(submission, user):
    """Publish the answer as an FAQ entry (or update the one it already became)."""
    if not submission.staff_answer.strip():
        raise CannotPublish("Write an answer before publishing it.")
    if submission.topic is None and submission.faq_question is None:
        raise CannotPublish("Choose the FAQ topic to publish it under.")
    title = (submission.public_question or submission.question).strip()
    if len(title) > 300:
        raise CannotPublish(
            "The visitor's question is longer than an FAQ title may be (300 characters): "
            "write a shorter 'question as published'."
        )
    question = submission.faq_question
    if question is None:
        question = Question(slug=unique_slug(title), topic=submission.topic)
    question.question = title
    question.answer = submission.staff_answer
    if submission.topic is not None:
        question.topic = submission.topic
    question.status = Status.PUBLISHED
    question.save()
    question.tags.set(list(submission.tags.all()))
    submission.faq_question = question
    submission.status = Submission.Status.PUBLISHED
    record_answer(submission, user)
    submission.save()
    return question


def tell_visitor_after_commit(submission):
    """Email the visitor once the change is committed (a rollback sends nothing)."""
    if submission.needs_notification:
        transaction.on_commit(lambda: notify_visitor(submission))
