from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from exosite.kernel.admin import PublishableAdmin, validate_markdown
from exosite.kernel.markdown import MarkdownLimitError, render_markdown

from . import workflow
from .models import Question, Submission, Topic
from .notifications import notify_visitor


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "slug")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Question)
class QuestionAdmin(PublishableAdmin):
    list_display = (
        "question",
        "topic",
        "position",
        "status",
        "is_live",
        "helpful_yes",
        "helpful_no",
        "tag_list",
    )
    list_filter = ("status", "topic", "tags")
    search_fields = ("question", "answer")
    prepopulated_fields = {"slug": ("question",)}
    autocomplete_fields = ("topic", "reviewer")
    fieldsets = (
        (None, {"fields": ("question", "slug", "topic", "position", "answer")}),
        PublishableAdmin.review_fieldset,
        PublishableAdmin.publishing_fieldset,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("topic")
            .annotate(
                yes_votes=Count("votes", filter=Q(votes__helpful=True)),
                no_votes=Count("votes", filter=Q(votes__helpful=False)),
            )
        )

    @admin.display(description="Helpful", ordering="yes_votes")
    def helpful_yes(self, obj):
        return obj.yes_votes

    @admin.display(description="Not helpful", ordering="no_votes")
    def helpful_no(self, obj):
        return obj.no_votes


class QueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (
            ("new", "New"),
            ("mine", "Assigned to me"),
            ("stale", "New, older than a week"),
            ("email-failed", "Email not delivered"),
        )

    def queryset(self, request, queryset):
        match self.value():
            case "new":
                return queryset.filter(status=Submission.Status.NEW)
            case "mine":
                return queryset.filter(assignee=request.user)
            case "stale":
                return queryset.filter(
                    status=Submission.Status.NEW,
                    received_at__lt=timezone.now() - timedelta(days=7),
                )
            case "email-failed":
                return queryset.filter(notified_at__isnull=True).exclude(notify_error="")
        return queryset


class SubmissionForm(forms.ModelForm):
    """The staff answer goes through the same Markdown limits as every text the site
    renders: a refusal is shown next to the field, with the text kept."""

    def clean_staff_answer(self):
        answer = self.cleaned_data["staff_answer"]
        validate_markdown(answer)
        return answer


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionForm
    list_display = (
        "short_question",
        "status",
        "age",
        "assignee",
        "email_status",
        "faq_entry",
    )
    list_filter = (QueueFilter, "status", "topic", "received_at")
    list_select_related = ("assignee", "faq_question")
    search_fields = ("question", "name", "email", "staff_answer")
    date_hierarchy = "received_at"
    autocomplete_fields = ("faq_question",)
    actions = (
        "assign_to_me",
        "publish_as_faq",
        "mark_answered",
        "reject",
        "mark_spam",
        "email_again",
    )
    readonly_fields = (
        "visitor_question",
        "name",
        "email",
        "consent",
        "received_at",
        "answer_preview",
        "answered_by",
        "answered_at",
        "closed_at",
        "email_status",
        "notify_error",
    )
    fieldsets = (
        (
            "From the visitor",
            {"fields": ("visitor_question", "name", "email", "consent", "received_at")},
        ),
        ("Work", {"fields": ("status", "assignee")}),
        (
            "Answer",
            {
                "fields": (
                    "staff_answer",
                    "answer_preview",
                    "public_question",
                    "topic",
                    "tags",
                    "faq_question",
                )
            },
        ),
        (
            "Record",
            {"fields": ("answered_by", "answered_at", "closed_at", "email_status", "notify_error")},
        ),
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request):
        return False  # questions come from visitors

    @admin.display(description="Question")
    def short_question(self, obj):
        # Visitor text: escaped by the admin like any string, never marked safe.
        return obj.question if len(obj.question) <= 80 else f"{obj.question[:79]}…"

    @admin.display(description="Visitor's question")
    def visitor_question(self, obj):
        return format_html('<div class="visitor-text">{}</div>', obj.question)

    @admin.display(description="Received", ordering="received_at")
    def age(self, obj):
        return naturaltime(obj.received_at)

    @admin.display(description="Email to visitor")
    def email_status(self, obj):
        if not obj.wants_email:
            return "not requested" if not obj.contact_erased_at else "contact erased"
        if obj.notified_at:
            return f"sent {obj.notified_at:%Y-%m-%d %H:%M}"
        if obj.notify_error:
            return "FAILED, will retry"
        return "waiting for the answer" if obj.status == Submission.Status.NEW else "pending"

    @admin.display(description="FAQ entry")
    def faq_entry(self, obj):
        if obj.faq_question is None:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.faq_question.get_absolute_url(), "view")

    @admin.display(description="Preview of the answer")
    def answer_preview(self, obj):
        if not obj.staff_answer:
            return "Write an answer and save to see it as visitors will."
        try:
            html = render_markdown(obj.staff_answer)
        except MarkdownLimitError as error:
            return str(error)
        return format_html('<div class="answer-preview">{}</div>', mark_safe(html))

    def save_model(self, request, obj, form, change):
        workflow.record_answer(obj, request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Publishing waits until here so that the FAQ entry gets the tags just saved.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if obj.status == Submission.Status.PUBLISHED:
            try:
                question = workflow.publish(obj, request.user)
            except workflow.CannotPublish as problem:
                obj.status = (
                    Submission.Status.ANSWERED if obj.staff_answer else Submission.Status.NEW
                )
                obj.save()
                self.message_user(request, f"Not published: {problem}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    format_html(
                        'Published as <a href="{}">an FAQ entry</a>.', question.get_absolute_url()
                    ),
                )
        self._tell_visitor(request, obj)

    def _tell_visitor(self, request, obj):
        if not obj.needs_notification:
            return

        def send():
            if notify_visitor(obj):
                self.message_user(request, f"The answer was emailed to {obj.email}.")
            else:
                self.message_user(
                    request,
                    "The answer could not be emailed; it will be retried "
                    f"(send_notifications). Error: {obj.notify_error}",
                    messages.WARNING,
                )

        transaction.on_commit(send)

    @admin.action(description="Assign to me")
    def assign_to_me(self, request, queryset):
        count = queryset.update(assignee=request.user)
        self.message_user(request, f"{count} question(s) assigned to you.")

    @admin.action(description="Publish as FAQ entry (needs an answer and a topic)")
    def publish_as_faq(self, request, queryset):
        published = 0
        for submission in queryset:
            try:
                workflow.publish(submission, request.user)
            except workflow.CannotPublish as problem:
                self.message_user(request, f"“{submission}”: {problem}", messages.ERROR)
                continue
            published += 1
            self._tell_visitor(request, submission)
        if published:
            self.message_user(request, f"{published} question(s) published in the FAQ.")

    @admin.action(description="Mark as answered (emails the visitor)")
    def mark_answered(self, request, queryset):
        done = 0
        for submission in queryset:
            if not submission.staff_answer.strip():
                self.message_user(
                    request, f"“{submission}”: write an answer first.", messages.ERROR
                )
                continue
            if submission.status != Submission.Status.PUBLISHED:
                submission.status = Submission.Status.ANSWERED
            workflow.record_answer(submission, request.user)
            submission.save()
            self._tell_visitor(request, submission)
            done += 1
        if done:
            self.message_user(request, f"{done} question(s) marked as answered.")

    def _close(self, request, queryset, status, label):
        count = 0
        for submission in queryset:
            submission.status = status
            submission.save()
            count += 1
        self.message_user(request, f"{count} question(s) {label}.")

    @admin.action(description="Reject")
    def reject(self, request, queryset):
        self._close(request, queryset, Submission.Status.REJECTED, "rejected")

    @admin.action(description="Mark as spam")
    def mark_spam(self, request, queryset):
        self._close(request, queryset, Submission.Status.SPAM, "marked as spam")

    @admin.action(description="Email the visitor again (only if not yet delivered)")
    def email_again(self, request, queryset):
        for submission in queryset.select_related("faq_question"):
            self._tell_visitor(request, submission)
