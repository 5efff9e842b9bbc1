import copy
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from exosite.kernel import citations, languages, linking
from exosite.kernel.admin import ProblemsFilter, PublishableAdmin, validate_markdown
from exosite.kernel.importing import ImportExportAdmin
from exosite.kernel.markdown import MarkdownLimitError, render_markdown
from exosite.models import Status

from . import workflow
from .models import Question, Submission, Topic
from .resources import QuestionResource


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "slug", "language", "translation_of")
    list_filter = ("language",)
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Question)
class QuestionAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = (QuestionResource,)
    list_display = (
        "question",
        "topic",
        "position",
        "status",
        "is_live",
        "tag_list",
    )
    list_filter = ("status", ProblemsFilter, "topic", "tags")
    search_fields = ("question", "answer")
    prepopulated_fields = {"slug": ("question",)}
    autocomplete_fields = ("topic", "reviewer")
    fieldsets = (
        (None, {"fields": ("question", "slug", "topic", "position", "answer")}),
        PublishableAdmin.review_fieldset,
        PublishableAdmin.publishing_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic")


class QueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (
            ("new", "New"),
            ("mine", "Assigned to me"),
            ("stale", "New, older than a week"),
            ("in-review", "Sent to the FAQ, entry in review"),
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
            case "in-review":
                return queryset.filter(
                    status=Submission.Status.PUBLISHED, faq_question__status=Status.REVIEW
                )
            case "email-failed":
                return queryset.filter(notified_at__isnull=True).exclude(notify_error="")
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """The status as staff read it ("Sent to the FAQ", not "Published")."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return tuple(workflow.STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in workflow.STATUS_LABELS:
            return queryset.filter(status=self.value())
        return queryset


# The desk: the buttons on a question's change form. Each saves what was typed, then acts;
# a step that cannot be taken is refused by the form, next to the field, text kept.
DESK_FIELD = "_desk"
DESK_STATUS = {
    "reject": Submission.Status.REJECTED,
    "spam": Submission.Status.SPAM,
}
# Choosing a status in the form and saving is the same step as its button.
STATUS_ACTIONS = {
    Submission.Status.ANSWERED: "answer",
    Submission.Status.PUBLISHED: "publish",
    Submission.Status.REJECTED: "reject",
    Submission.Status.SPAM: "spam",
}
DESK_ACTIONS = ("assign", "answer", "publish", "reject", "spam", "erase")


class SubmissionForm(forms.ModelForm):
    """The staff answer goes through the same Markdown limits as every text the site
    renders, and each desk step is checked here: a refusal is shown next to the field,
    with the text kept."""

    position_in_topic = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=32767,
        help_text="Where a new FAQ entry goes among its topic's questions (the FAQ page lists "
        "them by this number). Leave empty to put it at the end of the topic.",
    )
    user = None  # set per request by SubmissionAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = ""
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = workflow.workers(including=self.instance.assignee_id)
            self.fields["assignee"].help_text = (
                "Staff who can work on visitor questions (the FAQ staff group, or the "
                "permission to change questions)."
            )
        if "status" in self.fields:
            self.fields["status"].choices = [
                (value, workflow.STATUS_LABELS.get(value, label))
                for value, label in self.fields["status"].choices
            ]

    def clean_staff_answer(self):
        answer = self.cleaned_data["staff_answer"]
        validate_markdown(answer)
        return answer

    def clean(self):
        data = super().clean()
        pressed = self.data.get(DESK_FIELD, "")
        if pressed and pressed not in DESK_ACTIONS:
            raise forms.ValidationError("That button does not exist: reload the page.")
        status = data.get("status") or self.instance.status
        if pressed == "answer":
            if status != Submission.Status.PUBLISHED:
                status = Submission.Status.ANSWERED
        elif pressed == "publish":
            status = Submission.Status.PUBLISHED
        elif pressed in DESK_STATUS:
            status = DESK_STATUS[pressed]
        self.action = pressed
        if not pressed and "status" in self.changed_data:
            self.action = STATUS_ACTIONS.get(status, "")
        data["status"] = status

        candidate = self.candidate()
        problems = {}
        if self.action == "publish":
            problems = workflow.publish_problems(candidate)
            needed = "faq.change_question" if candidate.faq_question else "faq.add_question"
            if self.user is not None and not self.user.has_perm(needed):
                problems.setdefault(None, []).append(
                    "You may not write FAQ entries: ask someone who may to send it to the FAQ."
                )
        elif self.action == "answer" or candidate.needs_notification:
            problems = workflow.answer_problems(candidate)
        if self.action == "erase" and status not in Submission.CLOSED:
            problems["status"] = [workflow.STILL_OPEN]
        for field, messages_ in problems.items():
            if field not in self.errors:  # one refusal per field: the field's own first
                self.add_error(field if field in self.fields else None, messages_)
        return data

    def candidate(self):
        """The question as it would be saved (the form has not applied the edits yet)."""
        candidate = copy.copy(self.instance)
        for name in ("staff_answer", "public_question", "topic", "faq_question", "status"):
            if name in self.cleaned_data:
                setattr(candidate, name, self.cleaned_data[name])
        return candidate


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionForm
    list_display = (
        "short_question",
        "language",
        "state",
        "age",
        "assignee",
        "email_status",
        "faq_entry",
    )
    list_filter = (QueueFilter, StatusFilter, "language", "topic", "received_at")
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
        "erase_contact_details_now",
    )
    readonly_fields = (
        "visitor_question",
        "language",  # the address it was asked at
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
        "contact_erased_at",
    )
    fieldsets = (
        (
            "From the visitor",
            {
                "fields": (
                    "visitor_question",
                    "language",
                    "name",
                    "email",
                    "consent",
                    "received_at",
                )
            },
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
                    "position_in_topic",
                    "tags",
                    "faq_question",
                )
            },
        ),
        (
            "Record",
            {
                "fields": (
                    "answered_by",
                    "answered_at",
                    "closed_at",
                    "email_status",
                    "notify_error",
                    "contact_erased_at",
                )
            },
        ),
    )

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("js/admin-desk.js", "js/admin-a11y.js")

    def has_add_permission(self, request):
        return False  # questions come from visitors

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a new class per request
        return form

    # The desk -----------------------------------------------------------------------------

    def desk_buttons(self, request, obj):
        """[(value, label)] of the steps that make sense for `obj` now."""
        buttons = []
        if obj.assignee_id != request.user.pk:
            buttons.append(("assign", "Assign to me"))
        if obj.status not in (Submission.Status.ANSWERED, Submission.Status.PUBLISHED):
            told = obj.wants_email and obj.notified_at is None
            buttons.append(
                ("answer", "Mark answered (emails the visitor)" if told else "Mark answered")
            )
        if obj.faq_question_id:
            buttons.append(("publish", "Update the FAQ entry (goes to review)"))
        else:
            buttons.append(("publish", "Publish as FAQ entry (goes to review)"))
        if obj.status == Submission.Status.NEW:
            buttons += [("reject", "Reject"), ("spam", "Mark as spam")]
        if obj.status in Submission.CLOSED and (obj.name or obj.email):
            buttons.append(("erase", "Erase contact details now"))
        return buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change and self.has_change_permission(request, obj):
            context["desk_buttons"] = self.desk_buttons(request, obj)
            context["desk_field"] = DESK_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if form.action == "assign":
            obj.assignee = request.user
        workflow.record_answer(obj, request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Sending to the FAQ waits until here so that the entry gets the tags just saved.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        match form.action:
            case "publish":
                self._publish(request, obj, form.cleaned_data.get("position_in_topic"))
            case "erase":
                workflow.erase_contact(obj)
                self.message_user(request, "The visitor's name and email address were erased.")
            case "assign":
                self.message_user(request, "Assigned to you.")
            case "answer":
                self.message_user(request, "Marked as answered.")
            case "reject":
                self.message_user(request, f"“{obj}” was rejected.")
            case "spam":
                self.message_user(request, f"“{obj}” was marked as spam.")
        self._tell_visitor(request, obj)

    def _publish(self, request, obj, position=None):
        try:
            question = workflow.publish(obj, request.user, position=position)
        except workflow.CannotPublish as problem:  # the form checked; something changed since
            obj.status = Submission.Status.ANSWERED if obj.staff_answer else Submission.Status.NEW
            obj.save()
            self.message_user(request, f"Not sent to the FAQ: {problem}", messages.ERROR)
            return None
        url = reverse("admin:faq_question_change", args=[question.pk])
        if question.status == Status.PUBLISHED:
            message = format_html(
                'The FAQ entry <a href="{}">“{}”</a> already says this and stays as it is ({}).',
                url,
                question,
                workflow.entry_state(question),
            )
        else:
            message = format_html(
                'Sent to the FAQ: the entry <a href="{}">“{}”</a> is in review. It is '
                "published once a reviewer has checked it.",
                url,
                question,
            )
        self.message_user(request, message)
        return question

    def response_change(self, request, obj):
        pressed = request.POST.get(DESK_FIELD)
        if pressed not in DESK_ACTIONS or IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        if pressed in DESK_STATUS:
            return self.response_post_save_change(request, obj)  # closed: back to the queue
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, request.path))

    # The live preview ---------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "answer-preview/",
                self.admin_site.admin_view(self.answer_preview_view),
                name="faq_submission_answer_preview",
            ),
            *super().get_urls(),
        ]

    def answer_preview_view(self, request):
        """The answer through the site's pipeline as staff type it (static/js/admin-desk.js)."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        language = languages.normalise(request.GET.get("language")) or languages.SOURCE
        return JsonResponse(preview_parts(request.POST.get("text", ""), language))

    # Columns and read-only fields ---------------------------------------------------------

    @admin.display(description="Question")
    def short_question(self, obj):
        # Visitor text: escaped by the admin like any string, never marked safe.
        return obj.question if len(obj.question) <= 80 else f"{obj.question[:79]}…"

    @admin.display(description="Visitor's question")
    def visitor_question(self, obj):
        return format_html('<div class="visitor-text">{}</div>', obj.question)

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        return workflow.status_label(obj)

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
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:faq_question_change", args=[obj.faq_question_id]),
            workflow.entry_state(obj.faq_question),
        )

    @admin.display(description="Preview of the answer")
    def answer_preview(self, obj):
        return mark_safe(  # the pipeline's sanitised HTML, in an escaping template
            render_to_string(
                "admin/faq/submission/answer_preview.html",
                {
                    **preview_parts(obj.staff_answer, obj.language),
                    # The live preview links to the pages in the language asked, too.
                    "url": preview_url(obj.language),
                },
            )
        )

    # Sending the answer -------------------------------------------------------------------

    def _tell_visitor(self, request, obj):
        """Email the answer (a task) and say what became of it: sent or failed when it ran
        at once (the immediate backend), queued when the worker will send it."""

        def told(result):
            if not result.is_finished:
                self.message_user(
                    request,
                    f"The answer will be emailed to {obj.email} in a moment; this page shows "
                    "when it was sent.",
                )
                return
            obj.refresh_from_db(fields=("notified_at", "notify_error"))
            if obj.notified_at:
                self.message_user(request, f"The answer was emailed to {obj.email}.")
            elif obj.notify_error:
                self.message_user(
                    request,
                    "The answer could not be emailed; it will be retried "
                    f"(send_notifications). Error: {obj.notify_error}",
                    messages.WARNING,
                )

        workflow.tell_visitor_after_commit(obj, then=told)

    # List actions (the same steps for several questions) -----------------------------------

    @admin.action(description="Assign to me")
    def assign_to_me(self, request, queryset):
        count = queryset.update(assignee=request.user)
        self.message_user(request, f"{count} question(s) assigned to you.")

    @admin.action(description="Publish as FAQ entry (goes to review; needs an answer and a topic)")
    def publish_as_faq(self, request, queryset):
        sent = 0
        for submission in queryset:
            try:
                workflow.publish(submission, request.user)
            except workflow.CannotPublish as problem:
                self.message_user(request, f"“{submission}”: {problem}", messages.ERROR)
                continue
            sent += 1
            self._tell_visitor(request, submission)
        if sent:
            self.message_user(
                request,
                f"{sent} question(s) sent to the FAQ: their entries are in review until a "
                "reviewer publishes them.",
            )

    @admin.action(description="Mark as answered (emails the visitor)")
    def mark_answered(self, request, queryset):
        done = 0
        for submission in queryset:
            try:
                workflow.answer(submission, request.user)
            except workflow.CannotAnswer as problem:
                self.message_user(request, f"“{submission}”: {problem}", messages.ERROR)
                continue
            self._tell_visitor(request, submission)
            done += 1
        if done:
            self.message_user(request, f"{done} question(s) marked as answered.")

    def _close(self, request, queryset, status, label):
        count = 0
        for submission in queryset:
            workflow.close(submission, status)
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

    @admin.action(description="Erase contact details now (closed questions only)")
    def erase_contact_details_now(self, request, queryset):
        still_open = queryset.exclude(status__in=Submission.CLOSED).count()
        if still_open:
            self.message_user(
                request,
                f"{still_open} question(s) are still open and keep their contact details: "
                "answer, reject or mark them as spam first (the answer email needs them).",
                messages.ERROR,
            )
        erased = workflow.erase_contact_details(queryset)
        self.message_user(request, f"Contact details erased from {erased} question(s).")


def preview_url(language):
    url = reverse("admin:faq_submission_answer_preview")
    return url if language == languages.SOURCE else f"{url}?language={language}"


def preview_parts(text, language=languages.SOURCE):
    """{"html", "warnings"} of the answer as visitors will see it: the site's pipeline
    (cross-links, citations with their reference list, glossary links) on the live site,
    linking to the pages in `language`, the one the question was asked in."""
    if not text.strip():
        return {
            "html": '<p class="help">Write an answer to see it as visitors will.</p>',
            "warnings": [],
        }
    try:
        html = render_markdown(text)
    except MarkdownLimitError as error:
        return {"html": "", "warnings": [str(error)]}
    rendered = linking.link(html, cites=True, scope="live", language=language)
    references = render_to_string(
        "admin/faq/submission/answer_references.html",
        {"references": citations.listed(rendered)},
    )
    return {"html": rendered.html + references, "warnings": rendered.warnings}
