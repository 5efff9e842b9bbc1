import hashlib
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from exosite.kernel import languages
from exosite.kernel.revisions import RevisionSnapshot
from exosite.kernel.tagnames import TidyTaggableManager
from exosite.models import (
    Publishable,
    PublishableQuerySet,
    Reviewed,
    Translatable,
    TranslatableQuerySet,
    per_language,
)


class Topic(Translatable):
    name = models.CharField(max_length=120)
    slug = models.SlugField(help_text="Unique within the topic's language.")
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Topics are listed on the FAQ page in this order."
    )

    objects = TranslatableQuerySet.as_manager()
    translated_fields = ("name", "description")

    class Meta:
        ordering = ("position", "name")
        constraints = per_language("slug")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.url_in_language('faq:index')}#{self.slug}"


class QuestionQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("topic").prefetch_related("tags")


class Question(Reviewed, Publishable):
    question = models.CharField(max_length=300, help_text="Phrased as a visitor would ask it.")
    answer = models.TextField(help_text="Markdown. Start with the short answer.")
    answer_html = models.TextField(editable=False, default="")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within the topic on the FAQ page."
    )

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=("answer_html", "link_warnings"), bases=[RevisionSnapshot]
    )
    markdown_fields = {"answer": "answer_html"}
    reviewed_fields = ("question", "answer")

    class Meta:
        ordering = ("topic__position", "position", "question")
        constraints = per_language("slug")
        permissions = [
            ("publish_question", "Can publish and unpublish FAQ entries"),
            ("review_question", "Can record the review of FAQ entries"),
            (
                "publish_unreviewed_question",
                "Can publish FAQ entries without a current review, giving a reason",
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return self.url_in_language("faq:detail", kwargs={"slug": self.slug})

    @property
    def description(self):
        return self.seo_description or self.question


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Submission.Status.NEW)

    def erasable(self, days):
        """Closed more than `days` ago and still holding contact details."""
        return self.filter(
            status__in=Submission.CLOSED,
            closed_at__lt=timezone.now() - timedelta(days=days),
        ).exclude(name="", email="")


class Submission(models.Model):
    """A question sent in by a visitor. Visitor text is never rendered as Markdown or HTML."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    CLOSED = (Status.ANSWERED, Status.PUBLISHED, Status.REJECTED, Status.SPAM)

    question = models.TextField(max_length=2000)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(
        blank=True, help_text="Only used to tell the visitor their question was answered."
    )
    consent = models.BooleanField(
        "consent to be emailed",
        default=False,
        help_text="The visitor agreed to be emailed about this question.",
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=languages.SOURCE,
        db_index=True,
        help_text="The language the visitor asked in (the address of the form they used). "
        "The answer email is written in it, and the FAQ entry it becomes is in it.",
    )
    client = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Keyed hash of the sender's address."
    )
    fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_submissions",
    )
    staff_answer = models.TextField(
        "answer",
        blank=True,
        help_text="Markdown. Sent to the visitor if they asked to be told, and used as the "
        "answer when the question is published as an FAQ entry.",
    )
    public_question = models.CharField(
        "question as published",
        max_length=300,
        blank=True,
        help_text="The question as it should read in the FAQ. Leave empty to use the "
        "visitor's wording.",
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="The FAQ topic to publish it under.",
    )
    tags = TaggableManager(
        manager=TidyTaggableManager, blank=True, help_text="Carried over to the FAQ entry."
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="answered_submissions",
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    faq_question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="FAQ entry",
        help_text="The FAQ entry this question became, if any.",
    )
    notified_at = models.DateTimeField("visitor emailed", null=True, blank=True, editable=False)
    notify_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    notify_error = models.TextField(blank=True, editable=False)
    # A sender's claim on the answer email while it sends it (faq/notifications.py).
    notify_sending_since = models.DateTimeField(null=True, blank=True, editable=False)
    staff_notified_at = models.DateTimeField("staff emailed", null=True, blank=True, editable=False)
    contact_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ("-received_at",)
        indexes = [models.Index(fields=("client", "fingerprint", "received_at"))]

    def __str__(self):
        return self.question[:80]

    def save(self, *args, **kwargs):
        self.fingerprint = self.make_fingerprint(self.question)
        if self.status in self.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status not in self.CLOSED:
            self.closed_at = None
        super().save(*args, **kwargs)

    @staticmethod
    def make_fingerprint(text):
        """Identical questions compare equal whatever their case and spacing."""
        normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        return hashlib.sha256(normal.encode()).hexdigest()

    @property
    def wants_email(self):
        return bool(self.consent and self.email)

    @property
    def needs_notification(self):
        return (
            self.wants_email
            and self.notified_at is None
            and self.status in (self.Status.ANSWERED, self.Status.PUBLISHED)
        )
