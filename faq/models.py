from django.conf import settings
from django.db import models
from django.urls import reverse

from exosite.models import Publishable, PublishableQuerySet


class Topic(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Topics are listed on the FAQ page in this order."
    )

    class Meta:
        ordering = ("position", "name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('faq:index')}#{self.slug}"


class QuestionQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("topic").prefetch_related("tags")


class Question(Publishable):
    question = models.CharField(max_length=300, help_text="Phrased as a visitor would ask it.")
    answer = models.TextField(help_text="Markdown. Start with the short answer.")
    answer_html = models.TextField(editable=False, default="")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within the topic on the FAQ page."
    )

    objects = QuestionQuerySet.as_manager()
    markdown_fields = {"answer": "answer_html"}

    class Meta:
        ordering = ("topic__position", "position", "question")

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("faq:detail", kwargs={"slug": self.slug})

    @property
    def description(self):
        return self.seo_description or self.question


class Submission(models.Model):
    """A question sent in by a visitor. Never rendered as Markdown or HTML."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

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
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_submissions",
    )
    staff_answer = models.TextField(
        blank=True, help_text="Markdown. Sent to the visitor if they asked to be told."
    )
    faq_question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="FAQ entry",
        help_text="The FAQ entry this question became, if any.",
    )

    class Meta:
        ordering = ("-received_at",)

    def __str__(self):
        return self.question[:80]
